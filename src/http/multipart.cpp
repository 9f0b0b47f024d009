#include "http/multipart.h"

#include <algorithm>
#include <functional>

namespace passerelle::http {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 2046 bcharsnospace, and the space.
bool IsBoundaryChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// The parameters after the first `;` of a header value: name → value (quoted strings unquoted
// up to the next quote, as browsers percent-encode quotes in names). Nullopt when malformed or
// when a parameter repeats.
std::optional<std::vector<std::pair<std::string, std::string>>> Parameters(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != ';') return std::nullopt;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t equals = text.find('=', i);
    if (equals == std::string_view::npos || equals == i) return std::nullopt;
    const std::string name = Lower(Trim(text.substr(i, equals - i)));
    i = equals + 1;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t end = std::min(text.find(';', i), text.size());
      value = std::string(Trim(text.substr(i, end - i)));
      // A token (RFC 9110): no quote, space or control character.
      const bool token = !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return c == '"' || c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      });
      if (!token) return std::nullopt;
      i = end;
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    for (const auto& [seen, unused] : out) {
      if (seen == name) return std::nullopt;
    }
    out.emplace_back(name, std::move(value));
  }
  return out;
}

bool Fail(std::string* error, const char* reason) {
  if (error != nullptr) *error = reason;
  return false;
}

// Content-Disposition of a part: `form-data` with a non-empty name, maybe a filename.
bool ReadDisposition(std::string_view value, MultipartPart& part, std::string* error) {
  const std::size_t semicolon = value.find(';');
  if (Lower(Trim(value.substr(0, semicolon))) != "form-data") return Fail(error, "part is not form-data");
  if (semicolon == std::string_view::npos) return Fail(error, "part without a name");
  const auto parameters = Parameters(value.substr(semicolon));
  if (!parameters) return Fail(error, "malformed Content-Disposition parameters");
  bool named = false;
  for (const auto& [name, text] : *parameters) {
    if (name == "name") {
      part.name = text;
      named = !text.empty();
    } else if (name == "filename") {
      part.filename = text;
    }
  }
  return named ? true : Fail(error, "part without a name");
}

}  // namespace

const MultipartPart* Multipart::Find(std::string_view name) const {
  for (const MultipartPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semicolon))) != "multipart/form-data") return std::nullopt;
  if (semicolon == std::string_view::npos) return std::nullopt;
  const auto parameters = Parameters(content_type.substr(semicolon));
  if (!parameters) return std::nullopt;
  for (const auto& [name, value] : *parameters) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > 70 || value.back() == ' ') return std::nullopt;
    if (!std::all_of(value.begin(), value.end(), IsBoundaryChar)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::optional<Multipart> ParseMultipart(std::string_view content_type, std::string_view body,
                                        const MultipartLimits& limits, std::string* error) {
  const auto boundary = MultipartBoundary(content_type);
  if (!boundary) {
    Fail(error, "not multipart/form-data with a valid boundary");
    return std::nullopt;
  }
  const std::string delimiter = "\r\n--" + *boundary;
  const std::string_view first = std::string_view(delimiter).substr(2);
  if (body.substr(0, first.size()) != first) {
    Fail(error, "the body does not start with the boundary");
    return std::nullopt;
  }
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());
  Multipart out;
  std::size_t pos = first.size();
  while (true) {
    // Just after a delimiter: the close delimiter's "--", or the CRLF that ends the line.
    if (body.substr(pos, 2) == "--") {
      const std::string_view rest = body.substr(pos + 2);
      if (!rest.empty() && rest != "\r\n") {
        Fail(error, "data after the close delimiter");
        return std::nullopt;
      }
      if (out.parts.empty()) {
        Fail(error, "no part");
        return std::nullopt;
      }
      return out;
    }
    if (body.substr(pos, 2) != "\r\n") {
      Fail(error, "a delimiter not followed by CRLF");
      return std::nullopt;
    }
    pos += 2;
    if (out.parts.size() == limits.max_parts) {
      Fail(error, "too many parts");
      return std::nullopt;
    }
    MultipartPart part;
    bool disposition = false;
    std::size_t headers = 0;
    while (true) {
      // Looks for the line end within the limit only, so that a huge body is not scanned.
      const std::string_view window = body.substr(pos, limits.max_part_header_bytes + 2);
      const std::size_t eol = window.find("\r\n");
      if (eol == std::string_view::npos) {
        Fail(error,
             window.size() < limits.max_part_header_bytes + 2 ? "unterminated part header" : "part header too long");
        return std::nullopt;
      }
      const std::string_view line = window.substr(0, eol);
      pos += eol + 2;
      if (line.empty()) break;
      if (++headers > limits.max_part_headers) {
        Fail(error, "too many part headers");
        return std::nullopt;
      }
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0 || line.find('\r') != std::string_view::npos ||
          line.find('\n') != std::string_view::npos) {
        Fail(error, "malformed part header");
        return std::nullopt;
      }
      const std::string name = Lower(Trim(line.substr(0, colon)));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (disposition) {
          Fail(error, "two Content-Disposition headers");
          return std::nullopt;
        }
        disposition = true;
        if (!ReadDisposition(value, part, error)) return std::nullopt;
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!disposition) {
      Fail(error, "part without Content-Disposition");
      return std::nullopt;
    }
    const auto found = std::search(body.begin() + static_cast<std::ptrdiff_t>(pos), body.end(), searcher);
    if (found == body.end()) {
      Fail(error, "no closing delimiter");
      return std::nullopt;
    }
    const auto end = static_cast<std::size_t>(found - body.begin());
    part.body = body.substr(pos, end - pos);
    out.parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
}

}  // namespace passerelle::http
