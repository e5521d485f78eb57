#pragma once
// bauhinia-testtx's health commands (tests/integration/README.md): signed
// transactions of the health module and the signed JSON bodies of the node's
// payload API (docs/api/README.md, "Health payloads").
//
//   health-issue    --subject HEX --type TYPE (--record TEXT | --record-file F) [--salt HEX]
//       prints "<id> <transaction hex> <salt hex> <commitment hex>" (the id is the record id;
//       without --salt a random salt is drawn)
//   health-revoke   --record HEX --reason 1..4
//   health-grant    --provider HEX --type TYPE --until-ms T   (id = the consent id)
//   health-withdraw --consent HEX
//   health-access   --record HEX --consent HEX                (id = the access id)
//   health-erase    --record HEX
//   health-role     --account HEX --role issuer|provider   (system.grant_role by DH's admin)
//       each with --key FILE (--genesis FILE | --chain-id ID) --sequence N [--ttl-ms T];
//       prints "<id> <transaction hex>"
//   health-upload-body  --key FILE (--genesis|--chain-id) --record HEX --salt HEX
//                       (--record-text TEXT | --record-file F) [--timestamp-ms T]
//   health-release-body --key FILE (--genesis|--chain-id) --record HEX --access HEX
//                       [--timestamp-ms T]
//       print the JSON body of POST /v1/health/payloads and .../{record}/release
// TYPE: vaccination, laboratory_result, discharge_summary, prescription, medical_certificate.

#include <optional>

#include <CLI/CLI.hpp>

namespace bauhinia::testtx {

class HealthCommands {
 public:
  // Adds the subcommands to `app`.
  explicit HealthCommands(CLI::App& app);
  // After parsing: the exit code of the health command that ran, or nullopt.
  std::optional<int> run_if_parsed() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace bauhinia::testtx
