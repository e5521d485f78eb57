#include "bauhinia/sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bauhinia::sim {
namespace {

TEST(EventQueue, OrdersByTimeThenSchedulingOrder) {
  EventQueue<std::string> q;
  q.schedule_at(10, "c");
  q.schedule_at(5, "a");
  q.schedule_at(10, "d");
  q.schedule_at(5, "b");
  std::string order;
  while (!q.empty()) order += q.pop().event;
  EXPECT_EQ(order, "abcd");
  EXPECT_EQ(q.now_ms(), 10u);
}

TEST(EventQueue, ClockAdvancesOnlyWhenEventsAreTaken) {
  EventQueue<int> q;
  EXPECT_EQ(q.now_ms(), 0u);
  q.schedule_in(100, 1);
  EXPECT_EQ(q.now_ms(), 0u);
  EXPECT_EQ(q.next_time_ms(), 100u);
  auto e = q.pop();
  EXPECT_EQ(e.time_ms, 100u);
  EXPECT_EQ(q.now_ms(), 100u);
  q.schedule_in(0, 2);  // same time: still after everything taken so far
  q.schedule_in(5, 3);
  EXPECT_EQ(q.pop().event, 2);
  EXPECT_EQ(q.pop().event, 3);
  EXPECT_EQ(q.now_ms(), 105u);
}

TEST(EventQueueDeathTest, RefusesThePast) {
  EventQueue<int> q;
  q.schedule_at(50, 1);
  (void)q.pop();
  EXPECT_DEATH(q.schedule_at(49, 2), "time_ms >= now_ms_");
}

}  // namespace
}  // namespace bauhinia::sim
