#pragma once
// The demo's pharmaceutical traceability (module drugs, DH's 2020 pilot):
// stage 1 DH's admin licenses the traders (roles) and appoints a Drug Office
// officer; 2 the officer registers two products; 3 the manufacturer and the
// importer release batches and supply wholesalers; 4 the wholesalers supply
// a pharmacy and a hospital (and each other); 5 the Drug Office recalls one
// batch, which reaches every holder. Each custody step is signed by both
// sides: the supplier submits, the receiver co-signs.

#include <array>

#include "demo_context.hpp"

namespace bauhinia::demo {

// Keys the drugs part creates (trader accounts and the Drug Office officer).
inline constexpr std::array<const char*, 7> kDrugsKeys{
    "DH-drug-office",     "drugs-manufacturer", "drugs-importer", "drugs-wholesaler-1",
    "drugs-wholesaler-2", "drugs-pharmacy",     "drugs-hospital"};

// The drugs part of stage `stage` (1..5; nothing for other stages).
void drugs_stage(Demo& d, int stage);

}  // namespace bauhinia::demo
