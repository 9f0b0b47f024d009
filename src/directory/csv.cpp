#include "directory/csv.h"

namespace passerelle::directory {

namespace {

core::Error CsvError(std::size_t line, const std::string& reason_fr, const std::string& reason_en) {
  return core::Error{core::ErrorCode::kInvalidInput, "ligne " + std::to_string(line) + " : " + reason_fr,
                     "csv line " + std::to_string(line) + ": " + reason_en};
}

// Byte offset of the first byte that does not belong to a valid UTF-8 sequence, or npos.
std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length;
    unsigned min_code;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      min_code = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      min_code = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      min_code = 0x10000;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    unsigned code = lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const std::size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < bad; ++i) line += text[i] == '\n' ? 1 : 0;
    return CsvError(line, "le fichier n'est pas en UTF-8 (enregistrez-le au format « CSV UTF-8 »)", "invalid UTF-8");
  }
  std::vector<CsvRecord> records;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  const auto at_line_end = [&](std::size_t k) { return k >= n || text[k] == '\n' || text[k] == '\r'; };
  // Consumes one line end (CRLF, LF or a lone CR) at i.
  const auto skip_line_end = [&] {
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') ++i;
    ++line;
  };
  while (i < n) {
    if (text[i] == '\n' || text[i] == '\r') {  // blank line
      skip_line_end();
      continue;
    }
    CsvRecord record;
    record.line = line;
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line;
        ++i;
        while (true) {
          if (i >= n) return CsvError(quote_line, "guillemet jamais refermé", "unterminated quoted field");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          // A line break inside quotes: LF, CRLF (counted at its LF) or a lone CR.
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
          field += c;
          ++i;
        }
        if (!at_line_end(i) && text[i] != ',') {
          return CsvError(line, "texte après un guillemet fermant (doublez les guillemets dans un champ)",
                          "text after a closing quote");
        }
      } else {
        while (!at_line_end(i) && text[i] != ',') field += text[i++];
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < n) skip_line_end();
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string FormatCsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (k > 0) out += ',';
    const std::string& field = fields[k];
    const bool quote = field.find_first_of(",\"\r\n") != std::string::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
      out += field;
      continue;
    }
    out += '"';
    for (char c : field) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

}  // namespace passerelle::directory
