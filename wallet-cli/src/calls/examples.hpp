#pragma once
// Addresses used by the CallSpecs' examples (valid Bech32m addresses of the
// production prefix; the account ids are SHA-256 of "bauhinia example <who>").

#include <string_view>

namespace bauhinia::wallet::calls::examples {

inline constexpr std::string_view kOwner =
    "hk1qpuym4er60qaa85hvtky9fltmkmn3khhkfmtlq667y9qfcp7439j7zy2aeg";
inline constexpr std::string_view kAssignee =
    "hk1qpdnjnwzg663g3yqsateh5qkpma42s8x3vh2a7fg3xf5dyygj3lxu9nt9nc";
inline constexpr std::string_view kCompany =
    "hk1qq29gu2tfgfpevnx6kpnutzuke32tya3876j3wfhlgjkac8dqf2tj9rvquj";
inline constexpr std::string_view kOfficer =
    "hk1qzu8u5sna4y8fpuwma954uj5vt8jgspr4q6lsm254sp452lhe504u3ftzy2";

}  // namespace bauhinia::wallet::calls::examples
