#pragma once
// The demo's EPD registers (demo/demo_environment.cpp): an EIA project taken
// from its profile through two report versions, a public inspection window
// with comments, an approval with conditions and an environmental permit with
// an EM&A submission; and chemical waste trip-tickets, one flagged for a
// weight mismatch and one flagged overdue. The demo's genesis runs EPD's
// periods in seconds (kGenesisParameters, set by scripts/demo_sample_data.py).

#include "demo_context.hpp"

namespace bauhinia::demo {

// Stage 1: EPD's admin appoints the EIA officer, a licensed collector and a
// reception point.
void environment_roles(Demo& d);
// Stage 2: the proponent submits its project profile.
void environment_profile(Demo& d);
// Stages 3..8 (kStages): the rest, in the order the law and the ledger need.
void environment_stage(Demo& d, int stage);

}  // namespace bauhinia::demo
