// The open-data exports of a register snapshot: stamped with the certified
// height, block id and state root; hostile values (a spreadsheet formula,
// quotes, separators, newlines, markup, control characters) come out inert.

#include <gtest/gtest.h>

#include "bauhinia/explorer/registers.hpp"

namespace bauhinia::explorer {
namespace {

json snapshot() {
  return json{{"register", "companies"},
              {"module", "company"},
              {"certified_height", 42},
              {"block_id", std::string(64, 'a')},
              {"state_root", std::string(64, 'b')},
              {"columns", {"number", "name_en", "filings"}},
              {"records",
               {json{{"number", "3298741"}, {"name_en", "Plain Limited"}, {"filings", 3}},
                json{{"number", "=HYPERLINK(\"x\")"},
                     {"name_en", "A, \"quoted\"\nname <b>&</b>\x01"},
                     {"filings", 0}}}}};
}

TEST(ExportsTest, CsvIsStampedAndEscaped) {
  const std::string csv = export_csv(snapshot());
  const std::string stamp =
      "# register=companies certified_height=42 block_id=" + std::string(64, 'a') +
      " state_root=" + std::string(64, 'b') + "\r\n";
  EXPECT_TRUE(csv.starts_with(stamp)) << csv;
  EXPECT_NE(csv.find("number,name_en,filings\r\n"), std::string::npos);
  EXPECT_NE(csv.find("3298741,Plain Limited,3\r\n"), std::string::npos);
  // The formula is text, the field with separators quoted with its quotes doubled.
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"A, \"\"quoted\"\"\nname <b>&</b>\x01\""), std::string::npos) << csv;
}

TEST(ExportsTest, XmlIsStampedAndEscaped) {
  const std::string xml = export_xml(snapshot());
  EXPECT_NE(xml.find("<register name=\"companies\" module=\"company\" certified_height=\"42\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<name_en>A, &quot;quoted&quot;\nname &lt;b&gt;&amp;&lt;/b&gt; </name_en>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<b>"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("<filings>3</filings>"), std::string::npos);
}

TEST(ExportsTest, JsonKeepsTheStampAndTheRecords) {
  const json j = export_json(snapshot());
  EXPECT_EQ(j["certified_height"], 42);
  EXPECT_EQ(j["block_id"], std::string(64, 'a'));
  EXPECT_EQ(j["records"].size(), 2U);
  EXPECT_FALSE(j.contains("columns"));
}

TEST(ExportsTest, RegistersAndTheirModules) {
  EXPECT_EQ(register_module("trademarks"), "trademark");
  EXPECT_EQ(register_module("companies"), "company");
  EXPECT_EQ(register_module("drug-recalls"), "drugs");
  EXPECT_EQ(register_module("eia"), "environment");
  EXPECT_EQ(register_module("trip-tickets"), "environment");
  EXPECT_EQ(register_names().size(), 5U);
  EXPECT_EQ(register_module("../etc"), "");
}

}  // namespace
}  // namespace bauhinia::explorer
