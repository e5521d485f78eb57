#pragma once
// The demo's health register (module health, DH; docs/contracts/health.md):
// stage 1 DH's admin grants health.issuer to a public hospital's vaccination
// centre and laboratory and health.provider to a private doctor; 2 the facility
// issues three records (salted commitments) to two pseudonymous patients, and
// one patient consents to the doctor reading her vaccination and her
// laboratory records; 3 the doctor logs an access to the vaccination record
// and the patient withdraws the laboratory consent; 4 the patient erases the
// vaccination record. The plaintext records never reach a transaction: the
// stages hand them (with their salts and the ids the later stages need) to
// scripts/demo_health.py through DemoOptions::health_state, which uploads,
// releases and checks them through DH's node API.

#include <array>

#include "demo_context.hpp"

namespace bauhinia::demo {

// Keys the health part creates: the facility, the provider and two patients
// (pseudonymous: key names, never derived from an identity).
inline constexpr std::array<const char*, 4> kHealthKeys{"health-facility", "health-provider",
                                                        "patient-a7c2", "patient-5e91"};

// The health part of stage `stage` (1..4; nothing for other stages). Stages 2..4
// read and append DemoOptions::health_state; false (reason on stderr) when it
// cannot be read or written.
bool health_stage(Demo& d, int stage);

}  // namespace bauhinia::demo
