// Verdicts. Every check that fails throws a VerifyError whose `reason` is one
// of the stable reason names of docs/formats/chain.md (the same names the C++
// light client gives, core::reject_name), and whose `detail` says which check
// failed in words a person can read.

export class VerifyError extends Error {
  constructor(reason, detail) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
    this.detail = detail;
  }
}

export function fail(reason, detail) {
  throw new VerifyError(reason, detail);
}

// Runs fn; a VerifyError becomes {ok:false, reason, detail}; anything else
// (a bug, a malformed answer's TypeError) becomes reason "invalid".
export function verdict(fn) {
  try {
    return { ok: true, ...fn() };
  } catch (e) {
    if (e instanceof VerifyError) return { ok: false, reason: e.reason, detail: e.detail };
    return { ok: false, reason: 'invalid', detail: String(e && e.message ? e.message : e) };
  }
}
