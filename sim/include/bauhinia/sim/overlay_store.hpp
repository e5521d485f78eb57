#pragma once
// The overlay view moved to the ledger (ledger/overlay_store.hpp) so that the
// node's execution pipeline and the simulator share it.

#include "bauhinia/ledger/overlay_store.hpp"

namespace bauhinia::sim {

using ledger::OverlayStore;

}  // namespace bauhinia::sim
