#include "core/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace passerelle::core {
namespace {

// Issue 15, F2: what the log says about visitors is written at the hour, named by its hour.
TEST(VisitorLog, CountsAndHeldEventsAreWrittenOnFlushNamedByTheirHourOnly) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  VisitorLog& log = VisitorLog::Instance();
  log.Count("help", 200);
  log.Count("help", 200);
  log.Count("help", 404);
  log.Count("public", 200);
  log.Hold(spdlog::level::err, "event=handler_failed class=help error=\"x\"");
  EXPECT_EQ(out.str(), "") << "nothing when it happens";

  // 2026-12-06T04:59:59Z
  log.Flush(std::chrono::system_clock::time_point(std::chrono::seconds(1796533199)));
  const std::string text = out.str();
  EXPECT_NE(text.find("event=visitor_requests hour=2026-12-06T04 class=help requests=3 statuses=200:2,404:1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("event=visitor_requests hour=2026-12-06T04 class=public requests=1 statuses=200:1\n"),
            std::string::npos);
  EXPECT_NE(text.find("hour=2026-12-06T04 event=handler_failed class=help error=\"x\"\n"), std::string::npos);

  out.str("");
  log.Flush(std::chrono::system_clock::now());
  EXPECT_EQ(out.str(), "") << "counted once";
  spdlog::set_default_logger(previous);
}

}  // namespace
}  // namespace passerelle::core
