#include "notify/notify_test_support.h"

#include <sodium.h>

#include <algorithm>

namespace passerelle::notify::testing {

namespace {

std::string Base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<bad base64>";
  }
  out.resize(len);
  return out;
}

}  // namespace

std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // soft line break
    } else if (text[i] == '=' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

ParsedMail Parse(const std::string& data) {
  ParsedMail m;
  const auto split = data.find("\r\n\r\n");
  std::string head = data.substr(0, split);
  std::string unfolded;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += head[i];
  }
  std::size_t start = 0;
  while (start < unfolded.size()) {
    const auto end = std::min(unfolded.find("\r\n", start), unfolded.size());
    const std::string line = unfolded.substr(start, end - start);
    const auto colon = line.find(": ");
    if (colon != std::string::npos) m.headers[line.substr(0, colon)] = line.substr(colon + 2);
    start = end + 2;
  }
  std::string subject;
  const std::string& raw = m.headers["Subject"];
  for (std::size_t pos = raw.find("=?UTF-8?B?"); pos != std::string::npos; pos = raw.find("=?UTF-8?B?", pos)) {
    const auto end = raw.find("?=", pos + 10);
    subject += Base64Decode(raw.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  m.headers["Subject"] = subject;
  m.body = DecodeQuotedPrintable(data.substr(split + 4));
  return m;
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace passerelle::notify::testing
