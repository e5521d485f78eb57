// The metrics registry's Prometheus text format: names checked, labels
// escaped, registration order kept, readers called at each render.

#include "bauhinia/node/api_metrics.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>

namespace bauhinia::node {
namespace {

TEST(MetricsRegistry, RendersCountersAndGauges) {
  MetricsRegistry r;
  std::atomic<int> height{7};
  ASSERT_TRUE(r.add_value(MetricType::kGauge, "bauhinia_height", "Latest height", [&] {
                 return static_cast<double>(height.load());
               }).ok());
  ASSERT_TRUE(r.add(MetricType::kCounter, "bauhinia_requests_total", "Requests\nby code", [] {
                 return std::vector<MetricSample>{{{{"code", "200"}}, 12},
                                                  {{{"code", "404"}, {"path", "a\"b\\c\nd"}}, 3}};
               }).ok());
  EXPECT_EQ(r.render(),
            "# HELP bauhinia_height Latest height\n"
            "# TYPE bauhinia_height gauge\n"
            "bauhinia_height 7\n"
            "# HELP bauhinia_requests_total Requests\\nby code\n"
            "# TYPE bauhinia_requests_total counter\n"
            "bauhinia_requests_total{code=\"200\"} 12\n"
            "bauhinia_requests_total{code=\"404\",path=\"a\\\"b\\\\c\\nd\"} 3\n");
  height = 8;
  EXPECT_NE(r.render().find("bauhinia_height 8\n"), std::string::npos);
}

TEST(MetricsRegistry, SpecialValues) {
  MetricsRegistry r;
  ASSERT_TRUE(r.add(MetricType::kGauge, "g", "", [] {
                 return std::vector<MetricSample>{{{{"k", "a"}}, 0.25},
                                                  {{{"k", "b"}}, std::nan("")},
                                                  {{{"k", "c"}}, -INFINITY},
                                                  {{{"k", "d"}}, 1e21}};
               }).ok());
  const std::string text = r.render();
  EXPECT_NE(text.find("g{k=\"a\"} 0.25\n"), std::string::npos) << text;
  EXPECT_NE(text.find("g{k=\"b\"} NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("g{k=\"c\"} -Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("g{k=\"d\"} 1e+21\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, RefusesBadNamesAndDuplicates) {
  MetricsRegistry r;
  const auto one = [] { return 1.0; };
  for (const char* bad : {"", "1abc", "a-b", "a b", "é"}) {
    EXPECT_EQ(r.add_value(MetricType::kGauge, bad, "", one).rejection().reason,
              core::Reject::kInvalid)
        << bad;
  }
  EXPECT_TRUE(r.add_value(MetricType::kGauge, "ns:sub_name", "", one).ok());
  EXPECT_EQ(r.add_value(MetricType::kCounter, "ns:sub_name", "", one).rejection().reason,
            core::Reject::kDuplicate);
  EXPECT_FALSE(r.add_value(MetricType::kGauge, "no_reader", "", {}).ok());
  // A sample with an invalid label name is left out, the metric stays.
  ASSERT_TRUE(r.add(MetricType::kGauge, "labelled", "", [] {
                 return std::vector<MetricSample>{{{{"__reserved", "x"}}, 1}, {{{"ok", "y"}}, 2}};
               }).ok());
  const std::string text = r.render();
  EXPECT_EQ(text.find("__reserved"), std::string::npos);
  EXPECT_NE(text.find("labelled{ok=\"y\"} 2\n"), std::string::npos);
  EXPECT_FALSE(valid_label_name("a:b"));
  EXPECT_TRUE(valid_label_name("code"));
}

TEST(MetricsRegistry, ConcurrentAddAndRender) {
  MetricsRegistry r;
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      EXPECT_TRUE(
          r.add_value(MetricType::kGauge, "m" + std::to_string(i), "", [i] { return i; }).ok());
    }
  });
  std::size_t last = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string text = r.render();
    EXPECT_GE(text.size(), last);
    last = text.size();
  }
  writer.join();
  EXPECT_NE(r.render().find("\nm199 199\n"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
