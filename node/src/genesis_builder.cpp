#include "bauhinia/node/genesis_builder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::node {

namespace {

using core::Reject;
using core::reject;

std::string short_hex(const std::string& hex) {
  return hex.size() > 16 ? hex.substr(0, 16) + "..." : hex;
}

// "a.json and b.json": both files named in a clash.
core::Rejection clash(Reject reason, const std::string& source, const std::string& what,
                      const std::string& other) {
  return reject(reason, source + ": " + what + " (also in " + other + ")");
}

}  // namespace

core::Checked<std::vector<SourcedDescriptor>> load_descriptors(
    const std::vector<std::filesystem::path>& paths) {
  if (paths.size() > kMaxCeremonyDescriptors) {
    return reject(Reject::kTooLarge, std::to_string(paths.size()) + " descriptors; at most " +
                                         std::to_string(kMaxCeremonyDescriptors));
  }
  std::vector<SourcedDescriptor> out;
  out.reserve(paths.size());
  for (const auto& p : paths) {
    auto d = load_descriptor(p);
    if (!d) return d.error();
    out.push_back(SourcedDescriptor{p.string(), std::move(d).value()});
  }
  return out;
}

core::Checked<BuiltGenesis> build_genesis(const std::string& chain_id, std::uint64_t timestamp_ms,
                                          std::vector<SourcedDescriptor> descriptors) {
  if (chain_id.empty() || chain_id.size() > chain::kMaxChainIdLength) {
    return reject(Reject::kInvalid, "chain id must be 1.." +
                                        std::to_string(chain::kMaxChainIdLength) + " characters");
  }
  if (descriptors.empty()) return reject(Reject::kInvalid, "no descriptors given");
  if (descriptors.size() > kMaxCeremonyDescriptors) {
    return reject(Reject::kTooLarge, std::to_string(descriptors.size()) + " descriptors; at most " +
                                         std::to_string(kMaxCeremonyDescriptors));
  }
  struct DepartmentSeen {
    std::string name;
    std::string name_source;
    std::optional<core::schnorr::PublicKey> admin_key;
    std::string admin_source;
    std::string validator_source;
  };
  std::map<core::ed25519::PublicKey, std::string> node_keys;
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> addresses;
  std::map<core::schnorr::PublicKey, std::string> admin_owner;  // key -> department code
  std::map<std::string, DepartmentSeen> departments;
  std::size_t validators = 0;
  for (const auto& [source, d] : descriptors) {
    if (auto v = d.validate(); !v)
      return reject(v.rejection().reason, source + ": " + v.rejection().detail);
    if (auto [it, fresh] = node_keys.emplace(d.node_key, source); !fresh) {
      return clash(Reject::kDuplicate, source,
                   "node_key " + short_hex(d.node_key.to_hex()) + " repeats", it->second);
    }
    if (auto [it, fresh] = names.emplace(d.name, source); !fresh) {
      return clash(Reject::kDuplicate, source, "name '" + d.name + "' repeats", it->second);
    }
    if (auto [it, fresh] = addresses.emplace(d.p2p.to_string(), source); !fresh) {
      return clash(Reject::kDuplicate, source, "p2p address " + d.p2p.to_string() + " repeats",
                   it->second);
    }
    DepartmentSeen& dep = departments[d.department_code];
    if (dep.name_source.empty()) {
      dep.name = d.department_name;
      dep.name_source = source;
    } else if (dep.name != d.department_name) {
      return clash(Reject::kInvalid, source,
                   "department_name '" + d.department_name + "' differs from '" + dep.name +
                       "' for department " + d.department_code,
                   dep.name_source);
    }
    if (d.role == Role::kValidator) {
      if (!dep.validator_source.empty()) {
        return clash(Reject::kDuplicate, source,
                     "department " + d.department_code +
                         " has a second validator; one validator per department (give it more "
                         "voting_power instead, or make this node an observer)",
                     dep.validator_source);
      }
      dep.validator_source = source;
      ++validators;
    }
    if (d.admin_key) {
      if (dep.admin_key && *dep.admin_key != *d.admin_key) {
        return clash(Reject::kDuplicate, source,
                     "admin_key: department " + d.department_code +
                         " has two different admin keys; give it on one descriptor only",
                     dep.admin_source);
      }
      if (auto [it, fresh] = admin_owner.emplace(*d.admin_key, d.department_code);
          !fresh && it->second != d.department_code) {
        return clash(Reject::kDuplicate, source,
                     "admin_key " + short_hex(d.admin_key->to_hex()) +
                         " is also the admin key of department " + it->second,
                     departments[it->second].admin_source);
      }
      if (!dep.admin_key) {
        dep.admin_key = d.admin_key;
        dep.admin_source = source;
      }
    }
  }
  if (validators == 0) return reject(Reject::kInvalid, "no validator descriptors given");
  if (validators > kMaxGenesisValidators) {
    return reject(Reject::kTooLarge, std::to_string(validators) + " validators; at most " +
                                         std::to_string(kMaxGenesisValidators));
  }
  if (departments.size() > kMaxDepartments) {
    return reject(Reject::kTooLarge, std::to_string(departments.size()) + " departments; at most " +
                                         std::to_string(kMaxDepartments));
  }

  BuiltGenesis b;
  b.genesis.chain_id = chain_id;
  b.genesis.timestamp_ms = timestamp_ms;
  b.genesis.validators.epoch = 0;
  for (const auto& [code, dep] : departments) {  // sorted by code
    if (!dep.admin_key) {
      return reject(Reject::kInvalid,
                    "department " + code + " (" + dep.name_source +
                        ") has no admin_key in any descriptor; run keygen for one of its nodes "
                        "without --no-admin-key, or give --admin-pubkey");
    }
    b.genesis.departments.push_back(Department{code, dep.name, *dep.admin_key});
  }
  std::sort(descriptors.begin(), descriptors.end(), [](const auto& x, const auto& y) {
    const bool xv = x.descriptor.role == Role::kValidator;
    const bool yv = y.descriptor.role == Role::kValidator;
    if (xv != yv) return xv;
    return x.descriptor.name < y.descriptor.name;
  });
  for (const auto& [source, d] : descriptors) {
    if (d.role != Role::kValidator) continue;
    b.genesis.validators.validators.push_back(
        chain::ValidatorInfo{d.node_key, d.voting_power, d.name});
  }
  if (auto v = b.genesis.validate(); !v) return v.rejection();
  if (validators < kRecommendedMinValidators) {
    b.warnings.push_back("only " + std::to_string(validators) +
                         " validators: a BFT consortium needs at least 4 (n = 3f + 1) to keep "
                         "committing while one validator is down or faulty");
  }
  b.nodes = std::move(descriptors);
  return b;
}

core::Result<core::Hash256> genesis_block_id(const Genesis& genesis) {
  auto spec = genesis_spec(genesis);
  if (!spec) return core::Status::invalid_argument(spec.error().detail);
  auto store = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), *spec);
  if (!store) return std::move(store).error();
  return (*store)->genesis_id();
}

core::Status write_new_file(const std::filesystem::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return core::Status::io_error(path.string() + ": cannot create: " + std::strerror(errno));
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const std::string why = ok ? "" : std::strerror(errno);
  ::close(fd);
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return core::Status::io_error(path.string() + ": cannot write: " + why);
  }
  return core::Status::ok();
}

core::Verdict check_against_genesis(const Genesis& genesis, const NodeDescriptor& d) {
  const chain::ValidatorInfo* found = nullptr;
  for (const auto& v : genesis.validators.validators) {
    if (v.key == d.node_key) found = &v;
  }
  if (d.role == Role::kValidator) {
    if (found == nullptr) {
      return reject(Reject::kUnknownSigner,
                    "validator " + d.name + ": node_key " + short_hex(d.node_key.to_hex()) +
                        " is not in the genesis validator set (another genesis, or a descriptor "
                        "made after the ceremony?)");
    }
    if (found->name != d.name || found->voting_power != d.voting_power) {
      return reject(Reject::kInvalid, "validator " + d.name + ": genesis lists its key as '" +
                                          found->name + "' with power " +
                                          std::to_string(found->voting_power));
    }
  } else if (found != nullptr) {
    return reject(Reject::kInvalid, "observer " + d.name + ": its node_key is a validator ('" +
                                        found->name + "') in the genesis");
  }
  const bool known_department =
      std::any_of(genesis.departments.begin(), genesis.departments.end(),
                  [&](const Department& dep) { return dep.code == d.department_code; });
  if (!known_department) {
    return reject(Reject::kInvalid,
                  d.name + ": department " + d.department_code + " is not in the genesis");
  }
  return core::Verdict::accept();
}

core::Checked<std::vector<PeerAddress>> peers_from_descriptors(
    const Genesis& genesis, const core::ed25519::PublicKey& self,
    const std::vector<SourcedDescriptor>& descriptors) {
  if (descriptors.size() > kMaxCeremonyDescriptors) {
    return reject(Reject::kTooLarge,
                  "at most " + std::to_string(kMaxCeremonyDescriptors) + " descriptors");
  }
  std::vector<PeerAddress> peers;
  std::map<core::ed25519::PublicKey, std::string> seen;
  for (const auto& [source, d] : descriptors) {
    if (auto v = d.validate(); !v) {
      return reject(v.rejection().reason, source + ": " + v.rejection().detail);
    }
    if (auto v = check_against_genesis(genesis, d); !v) {
      return reject(v.rejection().reason, source + ": " + v.rejection().detail);
    }
    if (auto [it, fresh] = seen.emplace(d.node_key, source); !fresh) {
      return clash(Reject::kDuplicate, source,
                   "node_key " + short_hex(d.node_key.to_hex()) + " repeats", it->second);
    }
    if (d.node_key == self) continue;  // this node's own descriptor
    peers.push_back(PeerAddress{d.node_key, d.p2p});
  }
  return peers;
}

}  // namespace bauhinia::node
