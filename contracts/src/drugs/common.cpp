// Validation, roles, loading, holdings and index lists shared by every call.

#include "bauhinia/contracts/system/records.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::drugs::detail {

bool valid_text(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool has_trader_role(const StateView& state, const core::AccountId& account, TraderRole role) {
  return system::has_role(state, account, role_of(role));
}

CallResult require_regulator(const CallContext& call, const StateView& state) {
  if (!system::has_role(state, call.sender(), kRegulatorRole)) {
    return fail(TxOutcome::kUnauthorized, "not_regulator",
                call.tx().call + ": the sender does not hold the role drugs.regulator");
  }
  return CallResult::success();
}

CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out) {
  auto v = system::read_parameter(state, name);
  if (!v) {
    return fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                "chain parameter " + std::string(name) + " is not set");
  }
  out = *v;
  return CallResult::success();
}

namespace {

CallResult check_numbers(std::string_view regno, std::string_view batch) {
  if (auto e = registration_number_error(regno)) {
    return fail(TxOutcome::kInvalidArgument, *e,
                "'" + std::string(regno) + "' is not a registration number (HK- and 5 digits)");
  }
  if (auto e = batch_number_error(batch)) {
    return fail(TxOutcome::kInvalidArgument, *e,
                "'" + std::string(batch) + "' is not a batch number (1 to " +
                    std::to_string(kMaxBatchNumberSize) + " of A-Z, a-z, 0-9, '-')");
  }
  return CallResult::success();
}

template <class T>
CallResult load_record(const StateView& state, const Bytes& key, std::string_view not_found,
                       std::string what, T& out) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return fail(TxOutcome::kNotFound, not_found, "no " + what);
  auto r = core::decode<T>(*bytes);
  if (!r) {
    return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                "stored " + what + " does not decode");
  }
  out = std::move(*r);
  return CallResult::success();
}

IndexList list_named(char tag, ByteView rest) {
  Bytes name{static_cast<std::uint8_t>(tag)};
  name.insert(name.end(), rest.begin(), rest.end());
  return IndexList(std::move(name));
}

}  // namespace

CallResult load_product(const StateView& state, std::string_view regno, ProductRecord& out) {
  if (auto e = registration_number_error(regno)) {
    return fail(TxOutcome::kInvalidArgument, *e,
                "'" + std::string(regno) + "' is not a registration number (HK- and 5 digits)");
  }
  return load_record(state, product_key(regno), "product_not_found",
                     "product " + std::string(regno), out);
}

CallResult load_batch(const StateView& state, std::string_view regno, std::string_view batch,
                      BatchRecord& out) {
  if (CallResult r = check_numbers(regno, batch); !r.ok()) return r;
  return load_record(state, batch_key(regno, batch), "batch_not_found",
                     "batch " + std::string(batch) + " of " + std::string(regno), out);
}

CallResult load_notice(const StateView& state, std::string_view regno, std::string_view batch,
                       std::uint32_t index, RecallNoticeRecord& out) {
  if (CallResult r = check_numbers(regno, batch); !r.ok()) return r;
  return load_record(state, notice_key(regno, batch, index), "notice_not_found",
                     "recall notice " + std::to_string(index) + " of batch " + std::string(batch) +
                         " of " + std::string(regno),
                     out);
}

std::uint64_t holding_of(const StateView& state, const BatchRecord& batch,
                         const core::AccountId& holder) {
  auto bytes = state.read(kModuleName, holding_key(batch.regno, batch.batch, holder));
  if (!bytes) return 0;
  auto h = core::decode<HoldingRecord>(*bytes);
  return h ? h->quantity : 0;
}

CallResult set_holding(const CallContext& call, StateView& state, const BatchRecord& batch,
                       const core::AccountId& holder, std::uint64_t quantity) {
  const Bytes key = holding_key(batch.regno, batch.batch, holder);
  const IndexList holders = holders_list(batch.regno, batch.batch);
  const IndexList holdings = holdings_list(holder);
  if (quantity == 0) {
    state.erase(key);
    if (CallResult r = holders.remove(state, key); !r.ok()) return r;
    return holdings.remove(state, key);
  }
  HoldingRecord h;
  h.regno = batch.regno;
  h.batch = batch.batch;
  h.holder = holder;
  h.quantity = quantity;
  h.changed_height = call.block().height;
  state.write(key, core::encode(h));
  if (CallResult r = holders.add(state, key); !r.ok()) return r;
  return holdings.add(state, key);
}

void append_custody(StateView& state, BatchRecord& batch, CustodyRecord record) {
  record.index = batch.custody_size;
  batch.custody_size += 1;
  state.write(custody_key(batch.regno, batch.batch, record.index), core::encode(record));
}

IndexList batches_list(std::string_view regno) {
  return list_named('b', core::as_bytes(regno));
}
IndexList holders_list(std::string_view regno, std::string_view batch) {
  return list_named('h', batch_id(regno, batch));
}
IndexList holdings_list(const core::AccountId& account) {
  return list_named('H', account.view());
}
IndexList recalls_list(const core::AccountId& account) {
  return list_named('r', account.view());
}

}  // namespace bauhinia::contracts::drugs::detail
