// The anchor module's calls (contracts/anchor/module.hpp, docs/contracts/anchor.md).
// The pattern every module's file follows:
//   - one build function per call: parse each field with the shared parsers
//     (calls/arg_parsers.hpp), collecting the first error with Take; apply the
//     module's own exposed rule checks; encode the module's payload struct;
//     describe in plain words what is signed;
//   - one CallSpec per call in <module>_calls(), registered by one line in
//     modules.hpp and one in registry.cpp.
// Rules the module keeps to itself (document type charset, issuer role) are
// judged by the node's dry-run; here only the shape and the size limits.

#include "bauhinia/contracts/anchor/module.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace an = contracts::anchor;

core::Checked<BuiltCall> build_anchor(const Args& args) {
  Take take;
  an::AnchorArgs p;
  p.department = take(parse_department(args, "department"));
  p.document_type = take(parse_text(args, "type", an::kMaxDocumentTypeSize));
  p.reference = take(parse_text(args, "reference", an::kMaxReferenceSize));
  p.document_hash = take(parse_hash(args, "document"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"anchor a " + p.document_type + " document of " + p.department,
                    "reference: " + p.reference, "document sha256 " + p.document_hash.to_hex()}};
}

core::Checked<BuiltCall> build_revoke(const Args& args) {
  Take take;
  an::RevokeArgs p;
  p.id = take(parse_u64(args, "id", 1));
  p.reason = take(parse_text(args, "reason", an::kMaxReasonSize));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p), {}, {"revoke anchor " + std::to_string(p.id), "reason: " + p.reason}};
}

}  // namespace

std::vector<CallSpec> anchor_calls() {
  std::vector<ArgSpec> anchor_args{
      {"department", "the issuing department's code (2-16 upper-case letters), e.g. DH"},
      {"type", "the document type, 1-64 of a-z 0-9 . _ - (e.g. health.certificate)"},
      {"reference", "the document's own reference number, 1-128 bytes of text"}};
  for (ArgSpec& a : hash_arg_specs("document", "the document")) anchor_args.push_back(a);
  return {
      CallSpec{"anchor", "anchor",
               "an anchor.issuer of a department anchors the SHA-256 of a document it issued",
               "bauhinia-wallet anchor anchor --department DH --type health.certificate "
               "--reference DH-2026-000123 --document-hash "
               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               anchor_args, build_anchor},
      CallSpec{"anchor",
               "revoke",
               "an anchor.issuer of the anchor's department revokes an anchored document",
               "bauhinia-wallet anchor revoke --id 17 --reason \"issued in error\"",
               {{"id", "the anchor's id (from the anchor's record), 1 or more"},
                {"reason", "why, 1-256 bytes of text"}},
               build_revoke},
  };
}

}  // namespace bauhinia::wallet::calls
