#pragma once
// The demo's trade marks (stage 3): the Trade Marks Registry migrates marks
// from the legacy register, renews one in its renewal window, records a whole
// assignment with goodwill and a partial one (the assignors co-signing), a
// licence, and takes a new application through examination to publication.

#include "demo_context.hpp"

namespace bauhinia::demo {

void trademark_stage(Demo& d);

}  // namespace bauhinia::demo
