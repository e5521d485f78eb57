// register_product (the regulator enters a registered product and its
// certificate holder) and create_batch (the holder releases a batch: its
// units start in the holder's custody).

#include "internal.hpp"

namespace bauhinia::contracts::drugs::detail {

namespace {

CallResult check_text(std::string_view value, std::string_view field) {
  if (!valid_text(value)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_text",
                std::string(field) + " is not valid UTF-8 text");
  }
  return CallResult::success();
}

}  // namespace

CallResult apply_register_product(CallContext& call, StateView& state) {
  ProductArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  if (CallResult r = require_regulator(call, state); !r.ok()) return r;
  if (auto e = registration_number_error(a.regno)) {
    return fail(TxOutcome::kInvalidArgument, *e,
                "'" + a.regno + "' is not a registration number (HK- and 5 digits)");
  }
  if (a.name_en.empty() && a.name_zh.empty()) {
    return fail(TxOutcome::kInvalidArgument, "name_missing",
                "register_product: a name in English or Chinese is required");
  }
  if (a.form.empty()) {
    return fail(TxOutcome::kInvalidArgument, "form_missing",
                "register_product: the dosage form is required");
  }
  for (auto [value, field] : {std::pair<std::string_view, std::string_view>{a.name_en, "name_en"},
                              {a.name_zh, "name_zh"},
                              {a.form, "form"},
                              {a.strength, "strength"}}) {
    if (CallResult r = check_text(value, field); !r.ok()) return r;
  }
  TraderRole role = TraderRole::kManufacturer;
  if (has_trader_role(state, a.holder, TraderRole::kManufacturer)) {
    role = TraderRole::kManufacturer;
  } else if (has_trader_role(state, a.holder, TraderRole::kImporter)) {
    role = TraderRole::kImporter;
  } else {
    return fail(TxOutcome::kFailedPrecondition, "holder_not_licensed",
                "register_product: the holder holds neither drugs.manufacturer nor "
                "drugs.importer");
  }
  if (state.read_own(product_key(a.regno))) {
    return fail(TxOutcome::kAlreadyExists, "product_exists",
                "register_product: " + a.regno + " is already registered");
  }
  ProductRecord p;
  p.regno = a.regno;
  p.holder = a.holder;
  p.holder_role = role;
  p.name_en = a.name_en;
  p.name_zh = a.name_zh;
  p.form = a.form;
  p.strength = a.strength;
  p.registered_ms = call.block().timestamp_ms;
  p.registered_height = call.block().height;
  state.write(product_key(p.regno), core::encode(p));
  call.mention_account(p.holder);
  call.emit("product_registered", product_key(p.regno),
            core::encode(ProductEvent{p.regno, p.holder}));
  return CallResult::success();
}

CallResult apply_create_batch(CallContext& call, StateView& state) {
  BatchArgs a;
  if (CallResult r = decode_args(call.tx(), a); !r.ok()) return r;
  ProductRecord product;
  if (CallResult r = load_product(state, a.regno, product); !r.ok()) return r;
  if (auto e = batch_number_error(a.batch)) {
    return fail(TxOutcome::kInvalidArgument, *e, "'" + a.batch + "' is not a batch number");
  }
  if (call.sender() != product.holder) {
    return fail(TxOutcome::kUnauthorized, "not_product_holder",
                "create_batch: only the holder of " + a.regno + " releases its batches");
  }
  if (!has_trader_role(state, product.holder, product.holder_role)) {
    return fail(
        TxOutcome::kUnauthorized, "holder_not_licensed",
        "create_batch: the holder no longer holds " + std::string(role_of(product.holder_role)));
  }
  if (a.quantity == 0 || a.quantity > kMaxQuantity) {
    return fail(TxOutcome::kInvalidArgument, "invalid_quantity",
                "create_batch: the quantity must be 1 to " + std::to_string(kMaxQuantity));
  }
  const std::uint64_t now = call.block().timestamp_ms;
  if (a.manufacture_ms > now) {
    return fail(TxOutcome::kInvalidArgument, "invalid_dates",
                "create_batch: the manufacture date is after the block's time");
  }
  if (a.expiry_ms <= a.manufacture_ms) {
    return fail(TxOutcome::kInvalidArgument, "invalid_dates",
                "create_batch: the expiry date is not after the manufacture date");
  }
  if (a.expiry_ms <= now) {
    return fail(TxOutcome::kFailedPrecondition, "batch_expired",
                "create_batch: the batch has already expired");
  }
  if (state.read_own(batch_key(a.regno, a.batch))) {
    return fail(TxOutcome::kAlreadyExists, "batch_exists",
                "create_batch: " + a.regno + " already has a batch " + a.batch);
  }
  BatchRecord b;
  b.regno = a.regno;
  b.batch = a.batch;
  b.maker = product.holder;
  b.quantity = a.quantity;
  b.manufacture_ms = a.manufacture_ms;
  b.expiry_ms = a.expiry_ms;
  b.created_ms = now;
  b.created_height = call.block().height;
  CustodyRecord c;
  c.step = CustodyStep::kCreated;
  c.from_role = product.holder_role;
  c.to = product.holder;
  c.to_role = product.holder_role;
  c.quantity = a.quantity;
  c.time_ms = now;
  c.height = call.block().height;
  c.transaction_id = call.transaction_id();
  append_custody(state, b, c);
  if (CallResult r = set_holding(call, state, b, product.holder, a.quantity); !r.ok()) return r;
  const Bytes key = batch_key(b.regno, b.batch);
  state.write(key, core::encode(b));
  if (CallResult r = batches_list(b.regno).add(state, key); !r.ok()) return r;
  product.batch_count += 1;
  state.write(product_key(product.regno), core::encode(product));
  call.emit("batch_created", key,
            core::encode(BatchEvent{b.regno, b.batch, b.maker, b.quantity, b.expiry_ms}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::drugs::detail
