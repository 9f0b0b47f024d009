#include "geo/csv.h"

#include <sstream>

namespace passerelle::geo {

CsvReader::Status CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  std::string line;
  if (!std::getline(in_, line)) return Status::kEnd;
  if (next_line_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  record_line_ = next_line_++;
  if (!line.empty() && line.back() == '\r') line.pop_back();

  std::string field;
  bool in_quotes = false;
  std::size_t i = 0;
  for (;;) {
    if (i == line.size()) {
      if (!in_quotes) break;
      // A quoted field goes on on the next line.
      if (!std::getline(in_, line)) return Status::kUnterminatedQuote;
      ++next_line_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      field.push_back('\n');
      i = 0;
      continue;
    }
    const char c = line[i++];
    if (in_quotes) {
      if (c != '"') {
        field.push_back(c);
      } else if (i < line.size() && line[i] == '"') {
        field.push_back('"');
        ++i;
      } else {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return Status::kRecord;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

}  // namespace passerelle::geo
