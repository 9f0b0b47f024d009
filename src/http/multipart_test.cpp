#include "http/multipart.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----b0undary";

std::string Body(std::string_view parts) { return std::string(parts) + "------b0undary--\r\n"; }

std::string Field(std::string_view disposition, std::string_view value) {
  return "------b0undary\r\nContent-Disposition: form-data; " + std::string(disposition) + "\r\n\r\n" +
         std::string(value) + "\r\n";
}

std::string Refusal(std::string_view type, std::string_view body, const MultipartLimits& limits = {}) {
  std::string error;
  const auto parsed = ParseMultipart(type, body, limits, &error);
  EXPECT_FALSE(parsed.has_value()) << body;
  return error;
}

TEST(MultipartBoundary, ReadsTokenAndQuotedBoundaries) {
  EXPECT_EQ(MultipartBoundary(kType), "----b0undary");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; boundary=x"), "x");
}

TEST(MultipartBoundary, RefusesOtherTypesAndBadBoundaries) {
  EXPECT_FALSE(MultipartBoundary("application/x-www-form-urlencoded"));
  EXPECT_FALSE(MultipartBoundary("multipart/mixed; boundary=x"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"\""));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"ends \""));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=a<b"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=a; boundary=b"));
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"unterminated"));
}

TEST(ParseMultipart, ReadsFieldsAndFiles) {
  const std::string body =
      Body(Field("name=\"_csrf\"", "t0ken") +
           "------b0undary\r\ncontent-disposition: form-data; name=\"fichier\"; filename=\"acteurs.csv\"\r\n"
           "Content-Type: text/csv\r\n\r\nid;nom\r\n--not-the-boundary\r\n------b0undar\r\n");
  const auto parsed = ParseMultipart(kType, body);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->parts.size(), 2U);
  EXPECT_EQ(parsed->parts[0].name, "_csrf");
  EXPECT_FALSE(parsed->parts[0].filename);
  EXPECT_EQ(parsed->parts[0].body, "t0ken");
  const MultipartPart* file = parsed->Find("fichier");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "acteurs.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  // A line that only starts like the boundary is content.
  EXPECT_EQ(file->body, "id;nom\r\n--not-the-boundary\r\n------b0undar");
  EXPECT_EQ(parsed->Find("absent"), nullptr);
}

TEST(ParseMultipart, KeepsEmptyAndBinaryContent) {
  const std::string binary("a\0b\r\nc", 6);
  // The parts' bodies are views into the request body: it must outlive them.
  const std::string body = Body(Field("name=\"vide\"", "") + Field("name=\"bin\"", binary));
  const auto parsed = ParseMultipart(kType, body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->parts[0].body, "");
  EXPECT_EQ(parsed->parts[1].body, binary);
}

TEST(ParseMultipart, AcceptsACloseDelimiterWithoutFinalCrlf) {
  EXPECT_TRUE(ParseMultipart(kType, Field("name=\"a\"", "1") + "------b0undary--"));
}

TEST(ParseMultipart, RefusesMalformedBodies) {
  const std::string a = Field("name=\"a\"", "1");
  EXPECT_EQ(Refusal("text/plain", Body(a)), "not multipart/form-data with a valid boundary");
  EXPECT_EQ(Refusal(kType, ""), "the body does not start with the boundary");
  EXPECT_EQ(Refusal(kType, "preamble\r\n" + Body(a)), "the body does not start with the boundary");
  EXPECT_EQ(Refusal(kType, a), "no closing delimiter");
  EXPECT_EQ(Refusal(kType, a + "------b0undary--\r\nepilogue"), "data after the close delimiter");
  EXPECT_EQ(Refusal(kType, "------b0undary--\r\n"), "no part");
  // The boundary must not appear in content, even followed by other characters (RFC 2046).
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"a\"", "x\r\n------b0undaryX"))), "a delimiter not followed by CRLF");
  EXPECT_EQ(Refusal(kType, Body("------b0undary \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n")),
            "a delimiter not followed by CRLF");
  EXPECT_EQ(Refusal(kType, "------b0undary\nContent-Disposition: form-data; name=\"a\"\n\n1\n------b0undary--"),
            "a delimiter not followed by CRLF");
  EXPECT_EQ(Refusal(kType, "------b0undary\r\nContent-Disposition: form-data; name=\"a\""), "unterminated part header");
  EXPECT_EQ(Refusal(kType, Body("------b0undary\r\nContent-Type: text/plain\r\n\r\n1\r\n")),
            "part without Content-Disposition");
  EXPECT_EQ(Refusal(kType, Body("------b0undary\r\nno colon here\r\n\r\n1\r\n")), "malformed part header");
  EXPECT_EQ(Refusal(kType, Body("------b0undary\r\n: empty name\r\n\r\n1\r\n")), "malformed part header");
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"", "1"))),
            "two Content-Disposition headers");
  EXPECT_EQ(Refusal(kType, Body("------b0undary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n")),
            "part is not form-data");
  EXPECT_EQ(Refusal(kType, Body("------b0undary\r\nContent-Disposition: form-data\r\n\r\n1\r\n")),
            "part without a name");
  EXPECT_EQ(Refusal(kType, Body(Field("filename=\"x.csv\"", "1"))), "part without a name");
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"\"", "1"))), "part without a name");
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"a", "1"))), "malformed Content-Disposition parameters");
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"a\"; name=\"b\"", "1"))), "malformed Content-Disposition parameters");
  EXPECT_EQ(Refusal(kType, Body(Field("name=", "1"))), "malformed Content-Disposition parameters");
  EXPECT_EQ(Refusal(kType, Body(Field("name=#\"_csrf\"", "1"))), "malformed Content-Disposition parameters");
  EXPECT_EQ(Refusal(kType, Body(Field("name=a b", "1"))), "malformed Content-Disposition parameters");
}

TEST(ParseMultipart, BoundsTheWork) {
  MultipartLimits limits;
  limits.max_parts = 2;
  const std::string a = Field("name=\"a\"", "1");
  EXPECT_TRUE(ParseMultipart(kType, Body(a + a), limits));
  EXPECT_EQ(Refusal(kType, Body(a + a + a), limits), "too many parts");
  limits = {};
  limits.max_part_headers = 2;
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"a\"\r\nX-One: 1\r\nX-Two: 2", "1")), limits), "too many part headers");
  limits = {};
  limits.max_part_header_bytes = 64;
  EXPECT_EQ(Refusal(kType, Body(Field("name=\"" + std::string(100, 'n') + "\"", "1")), limits), "part header too long");
}

}  // namespace
}  // namespace passerelle::http
