#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace passerelle::geo {

// Reads RFC 4180 CSV records one at a time: comma-separated fields, optionally quoted ("" inside
// quotes is one "), LF or CRLF line ends, a UTF-8 byte-order mark ignored. A quoted field may
// span lines; line() tells where the record started, for error messages.
class CsvReader {
 public:
  enum class Status { kRecord, kEnd, kUnterminatedQuote };

  explicit CsvReader(std::istream& in) : in_(in) {}

  Status Next(std::vector<std::string>& fields);

  // 1-based line number where the last record returned started.
  std::size_t line() const { return record_line_; }

 private:
  std::istream& in_;
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
};

// The items of a comma-separated list held in one field, empty ones dropped: "13080,13090" →
// {"13080", "13090"}. Commune files and the commune table hold postal codes and former names so.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace passerelle::geo
