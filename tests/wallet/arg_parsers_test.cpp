// The shared argument parsers: each accepts its form and refuses bad input
// with an error that names the argument and states the rule.

#include "bauhinia/wallet/calls/arg_parsers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/records.hpp"

namespace bauhinia::wallet::calls {
namespace {

// The detail of a refusal, or a test failure when `c` holds a value.
template <class T>
std::string refused(const core::Checked<T>& c) {
  EXPECT_FALSE(c.has_value());
  return c ? "" : c.error().detail;
}

constexpr const char* kOwner = "hk1qpuym4er60qaa85hvtky9fltmkmn3khhkfmtlq667y9qfcp7439j7zy2aeg";
constexpr const char* kOwnerHex =
    "784dd723d3c1de9e9762ec42a7ebddb738daf7b276bf835af10a04e03eac4b2f";

TEST(ArgParsers, AccountsByAddressOfEitherChainOrHex) {
  const auto id = parse_account({{"to", kOwner}}, "to");
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_EQ(id->to_hex(), kOwnerHex);
  const std::string test_address = core::encode_address(core::kTestnetAddressPrefix, *id);
  EXPECT_EQ(*parse_account({{"to", test_address}}, "to"), *id);
  EXPECT_EQ(*parse_account({{"to", kOwnerHex}}, "to"), *id);
  std::string upper = kOwner;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(*parse_account({{"to", upper}}, "to"), *id);

  std::string typo = kOwner;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';  // the checksum no longer matches
  std::string e = refused(parse_account({{"to", typo}}, "to"));
  EXPECT_NE(e.find("--to: an account address"), std::string::npos) << e;
  EXPECT_EQ(parse_account({{"to", typo}}, "to").error().reason, core::Reject::kBadChecksum);
  e = refused(parse_account({{"to", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}, "to"));
  EXPECT_NE(e.find("--to:"), std::string::npos) << e;
  e = refused(parse_account({{"to", "alice"}}, "to"));
  EXPECT_NE(e.find("hk1... or hktest1..."), std::string::npos) << e;
  EXPECT_NE(e.find("(got 'alice')"), std::string::npos) << e;
  e = refused(parse_account({{"to", std::string(63, 'a')}}, "to"));
  EXPECT_NE(e.find("--to:"), std::string::npos);
  e = refused(parse_account({}, "to"));
  EXPECT_EQ(e, "--to: required");

  EXPECT_FALSE(*parse_optional_account({}, "to"));
  EXPECT_EQ(**parse_optional_account({{"to", kOwner}}, "to"), *id);
  EXPECT_FALSE(parse_optional_account({{"to", "x"}}, "to"));
}

TEST(ArgParsers, KeysAreHexAndValid) {
  EXPECT_NE(refused(parse_account_key({{"admin-key", "00"}}, "admin-key")).find("--admin-key"),
            std::string::npos);
  // x = 0 is not on the curve.
  EXPECT_FALSE(parse_account_key({{"k", std::string(64, '0')}}, "k"));
  EXPECT_NE(refused(parse_validator_key({{"validator-key", "zz"}}, "validator-key"))
                .find("--validator-key: an Ed25519"),
            std::string::npos);
}

TEST(ArgParsers, NumbersWithRanges) {
  EXPECT_EQ(*parse_u64({{"id", "17"}}, "id", 1), 17U);
  EXPECT_EQ(*parse_u64({{"id", "18446744073709551615"}}, "id"), UINT64_MAX);
  for (const char* bad : {"", "-1", "+1", "01", "1.5", "1e3", " 1", "18446744073709551616", "x"}) {
    const std::string e = refused(parse_u64({{"id", bad}}, "id", 1));
    EXPECT_NE(e.find("--id: a whole number from 1 to"), std::string::npos) << bad << ": " << e;
  }
  EXPECT_EQ(parse_u64({{"id", "0"}}, "id", 1).error().reason, core::Reject::kOutOfRange);
  EXPECT_EQ(*parse_u32({{"n", "4294967295"}}, "n"), UINT32_MAX);
  EXPECT_NE(refused(parse_u32({{"n", "4294967296"}}, "n")).find("from 0 to 4294967295"),
            std::string::npos);
  EXPECT_FALSE(*parse_optional_u64({}, "n"));
  EXPECT_EQ(**parse_optional_u64({{"n", "5"}}, "n", 1, 9), 5U);
  EXPECT_FALSE(parse_optional_u64({{"n", "10"}}, "n", 1, 9));
}

TEST(ArgParsers, CommaLists) {
  EXPECT_EQ(*parse_u64_list({{"classes", "29,30"}}, "classes", 1, 45, 45),
            (std::vector<std::uint64_t>{29, 30}));
  EXPECT_EQ(*parse_u64_list({{"classes", "29, 30 ,43"}}, "classes", 1, 45, 45),
            (std::vector<std::uint64_t>{29, 30, 43}));
  for (const char* bad : {"", "29,", ",29", "29,,30", "29;30", "0", "46", "a"}) {
    const std::string e = refused(parse_u64_list({{"classes", bad}}, "classes", 1, 45, 45));
    EXPECT_NE(e.find("--classes: a comma list of 1 to 45 whole numbers, each from 1 to 45"),
              std::string::npos)
        << bad << ": " << e;
  }
  EXPECT_FALSE(parse_u64_list({{"classes", "1,2,3"}}, "classes", 1, 45, 2));
}

TEST(ArgParsers, DatesAreHongKongDates) {
  const auto d = parse_date({{"date", "2024-02-29"}}, "date");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 2024);
  EXPECT_EQ(d->month, 2U);
  EXPECT_EQ(d->day, 29U);
  EXPECT_EQ(d->to_string(), "2024-02-29");
  // 2026-01-05 00:00 in Hong Kong is 2026-01-04 16:00 UTC.
  const auto ms = parse_date_ms({{"date", "2026-01-05"}}, "date");
  ASSERT_TRUE(ms);
  EXPECT_EQ(*ms, 1'767'542'400'000ULL);
  const auto hk = contracts::trademark::hong_kong_date(*ms);
  EXPECT_EQ(hk, (contracts::trademark::CivilDate{2026, 1, 5}));
  EXPECT_EQ(contracts::trademark::hong_kong_date(*ms - 1),
            (contracts::trademark::CivilDate{2026, 1, 4}));

  for (const char* bad :
       {"2026-1-05", "2026/01/05", "05-01-2026", "2026-01-05T00", "", "0999-01-01", "2026-0a-05"}) {
    const std::string e = refused(parse_date({{"date", bad}}, "date"));
    EXPECT_NE(e.find("--date: a date YYYY-MM-DD"), std::string::npos) << bad << ": " << e;
  }
  for (const char* bad : {"2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00"}) {
    const std::string e = refused(parse_date({{"date", bad}}, "date"));
    EXPECT_NE(e.find("no such day"), std::string::npos) << bad << ": " << e;
  }
  EXPECT_TRUE(parse_date_ms({{"date", "1970-01-02"}}, "date"));
  const std::string e = refused(parse_date_ms({{"date", "1970-01-01"}}, "date"));
  EXPECT_NE(e.find("--date: a date from 1970-01-02"), std::string::npos) << e;
  EXPECT_FALSE(*parse_optional_date_ms({}, "end-date"));
  EXPECT_FALSE(parse_optional_date_ms({{"end-date", "2026-02-30"}}, "end-date"));
}

TEST(ArgParsers, HashesFromHexOrFile) {
  const std::string hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  EXPECT_EQ(parse_hash({{"deed-hash", hex}}, "deed")->to_hex(), hex);
  const std::string path = ::testing::TempDir() + "wallet_deed.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "test";
  }
  // SHA-256("test").
  EXPECT_EQ(parse_hash({{"deed-file", path}}, "deed")->to_hex(), hex);
  std::remove(path.c_str());
  EXPECT_NE(refused(parse_hash({{"deed-file", path}}, "deed")).find("--deed-file: a readable file"),
            std::string::npos);
  EXPECT_NE(refused(parse_hash({{"deed-hash", hex}, {"deed-file", path}}, "deed")).find("not both"),
            std::string::npos);
  EXPECT_NE(refused(parse_hash({{"deed-hash", hex.substr(2)}}, "deed"))
                .find("--deed-hash: a SHA-256 of 64 hex digits"),
            std::string::npos);
  EXPECT_FALSE(parse_hash({{"deed-hash", std::string(62, 'a') + "zz"}}, "deed"));
  EXPECT_NE(refused(parse_hash({}, "deed")).find("--deed-hash: required"), std::string::npos);
  EXPECT_FALSE(*parse_optional_hash({}, "image"));
  {
    std::ofstream out(path, std::ios::binary);
    out << "test";
  }
  const auto resolved = with_file_hashes({{"deed-file", path}, {"mark", "305918274"}});
  ASSERT_TRUE(resolved) << resolved.error().to_string();
  EXPECT_EQ(*resolved, (Args{{"deed-hash", hex}, {"mark", "305918274"}}));
  EXPECT_FALSE(with_file_hashes({{"deed-file", path}, {"deed-hash", hex}}));
  std::remove(path.c_str());
  EXPECT_NE(refused(with_file_hashes({{"deed-file", path}})).find("--deed-file"),
            std::string::npos);
  const auto specs = hash_arg_specs("deed", "the deed");
  ASSERT_EQ(specs.size(), 2U);
  EXPECT_EQ(specs[0].name, "deed-hash");
  EXPECT_EQ(specs[1].name, "deed-file");
}

TEST(ArgParsers, TextWithinLimits) {
  EXPECT_EQ(*parse_text({{"reason", "issued in error 錯誤"}}, "reason", 64),
            "issued in error 錯誤");
  EXPECT_NE(refused(parse_text({{"reason", std::string(65, 'a')}}, "reason", 64))
                .find("--reason: text of 1 to 64 bytes"),
            std::string::npos);
  EXPECT_EQ(parse_text({{"reason", std::string(65, 'a')}}, "reason", 64).error().reason,
            core::Reject::kTooLarge);
  EXPECT_FALSE(parse_text({{"reason", ""}}, "reason", 64));
  EXPECT_FALSE(parse_text({{"reason", "line\nbreak"}}, "reason", 64));
  EXPECT_FALSE(parse_text({{"reason", "\xC3\x28"}}, "reason", 64));  // bad UTF-8
  EXPECT_EQ(*parse_optional_text({}, "memo", 8), "");
  EXPECT_FALSE(parse_optional_text({{"memo", "123456789"}}, "memo", 8));
}

TEST(ArgParsers, FlagsAndDepartments) {
  EXPECT_FALSE(*parse_flag({}, "with-goodwill"));
  EXPECT_TRUE(*parse_flag({{"with-goodwill", ""}}, "with-goodwill"));
  EXPECT_TRUE(*parse_flag({{"with-goodwill", "true"}}, "with-goodwill"));
  EXPECT_FALSE(*parse_flag({{"with-goodwill", "no"}}, "with-goodwill"));
  EXPECT_NE(refused(parse_flag({{"with-goodwill", "maybe"}}, "with-goodwill"))
                .find("--with-goodwill: a flag"),
            std::string::npos);
  EXPECT_EQ(*parse_department({{"department", "IPD"}}, "department"), "IPD");
  for (const char* bad : {"ipd", "I", "IPD1", "ABCDEFGHIJKLMNOPQ", ""}) {
    EXPECT_NE(refused(parse_department({{"department", bad}}, "department"))
                  .find("--department: a department code: 2 to 16 upper-case letters"),
              std::string::npos)
        << bad;
  }
}

TEST(ArgParsers, EnumsByTheirNames) {
  namespace tm = contracts::trademark;
  EXPECT_EQ(*parse_enum({{"ground", "bad_faith"}}, "ground", tm::kLastGround, tm::ground_name),
            tm::Ground::kBadFaith);
  EXPECT_EQ(*parse_enum({{"ground", "Non-Use"}}, "ground", tm::kLastGround, tm::ground_name),
            tm::Ground::kNonUse);
  const std::string e =
      refused(parse_enum({{"ground", "rude"}}, "ground", tm::kLastGround, tm::ground_name));
  EXPECT_EQ(e,
            "--ground: one of none, absolute, relative, bad_faith, opposition_upheld, non_use, "
            "generic_name, misleading (got 'rude')");
  namespace co = contracts::company;
  EXPECT_EQ(
      *parse_enum({{"type", "limited_by_guarantee"}}, "type", co::kMaxCompanyType, co::type_name),
      co::CompanyType::kLimitedByGuarantee);
  EXPECT_FALSE(parse_enum({}, "type", co::kMaxCompanyType, co::type_name));
}

TEST(ArgParsers, TakeKeepsTheFirstError) {
  Take take;
  const Args args{{"id", "x"}, {"n", "y"}};
  EXPECT_EQ(take(parse_u64(args, "id")), 0U);
  EXPECT_EQ(take(parse_u64(args, "n")), 0U);
  ASSERT_TRUE(take.failed());
  EXPECT_NE(take.error().detail.find("--id:"), std::string::npos);
  Take fine;
  EXPECT_EQ(fine(parse_u64({{"id", "3"}}, "id")), 3U);
  EXPECT_FALSE(fine.failed());
}

}  // namespace
}  // namespace bauhinia::wallet::calls
