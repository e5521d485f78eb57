// Plain-words views of the drugs, environment (EIA, permits, trip-tickets) and
// health registers' records, decoded from the proven value bytes. Layouts:
// contracts/include/bauhinia/contracts/{drugs,environment,health}/records.hpp
// and docs/contracts/{drugs,environment,health}.md; each decoder reads the
// whole value (trailing bytes refuse it). For display only: what Verify
// proves is the value's bytes, whatever this shows.
import { toHex } from '../verify/bytes.js';
import { readValidatorSet } from '../verify/decode.js';
import { currentLang, formatTime } from './i18n.js';

const BIG = 1 << 20;
const str = (r, f) => r.string(BIG, f);
const u32 = (r) => {
  const b = r.raw(4);
  return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24;
};
const hash = (r) => toHex(r.raw(32));
const isZero = (hex) => /^0*$/.test(hex);
// An account id shown short (the full id is in the record's technical view).
export const shortId = (hex) => `${hex.slice(0, 8)}…${hex.slice(-6)}`;
const when = (v) => (v ? formatTime(v) : '—');
const en = () => currentLang() === 'en';
const name = (a, b) => (en() ? [a, b] : [b, a]).filter(Boolean).join(' / ');
const pick = (enList, zhList, i) => (en() ? enList[i] : zhList[i]) ?? String(i);
const yes = (b) => (b ? 'yes / 是' : 'no / 否');
const num = (v) => Number(v).toLocaleString('en-HK');
function enumOf(r, last, field) {
  const v = r.u8(field);
  if (v > last) throw new Error(`${field}: ${v}`);
  return v;
}

// drugs -------------------------------------------------------------------
const ROLE = ['manufacturer', 'importer', 'wholesaler', 'dispenser'];
const ROLE_ZH = ['製造商', '進口商', '批發商', '配發商'];
const STEP = ['created', 'transfer', 'return of recalled stock'];
const STEP_ZH = ['製造', '轉移', '退回回收貨品'];
const RCLASS = ['class 1 (most serious)', 'class 2', 'class 3'];
const RCLASS_ZH = ['第一類（最嚴重）', '第二類', '第三類'];
const RLEVEL = ['wholesale level', 'retail level', 'patient level'];
const RLEVEL_ZH = ['批發層面', '零售層面', '病人層面'];
const RREASON = ['quality defect', 'contamination', 'labelling error', 'safety concern', 'registration cancelled', 'counterfeit', 'other'];
const RREASON_ZH = ['品質問題', '受污染', '標籤錯誤', '安全問題', '註冊已取消', '假冒', '其他'];

function product(r) {
  const p = { version: r.u8(), regno: str(r, 'regno'), holder: hash(r), role: enumOf(r, 3, 'holder_role') };
  Object.assign(p, { name_en: str(r, 'name_en'), name_zh: str(r, 'name_zh'), form: str(r, 'form'), strength: str(r, 'strength') });
  Object.assign(p, { registered: r.u64(), height: r.u64(), batches: u32(r) });
  r.done('product');
  return {
    kind: 'drug-product',
    title: `${p.regno} ${name(p.name_en, p.name_zh)}`,
    rows: [
      ['Registration number / 註冊編號', p.regno],
      ['Product / 產品', name(p.name_en, p.name_zh)],
      ['Dosage form / 劑型', p.form],
      ['Strength / 含量', p.strength || '—'],
      ['Holder / 持有人', `${shortId(p.holder)} (${pick(ROLE, ROLE_ZH, p.role)})`],
      ['Registered / 登記日期', when(p.registered)],
      ['Batches / 批次數目', String(p.batches)],
    ],
  };
}

function recallWords(c, l, why) {
  return `${pick(RCLASS, RCLASS_ZH, c)}, ${pick(RLEVEL, RLEVEL_ZH, l)}, ${pick(RREASON, RREASON_ZH, why)}`;
}

function batch(r) {
  const b = { version: r.u8(), regno: str(r, 'regno'), batch: str(r, 'batch'), maker: hash(r), quantity: r.u64() };
  Object.assign(b, { made: r.u64(), expiry: r.u64(), created: r.u64(), height: r.u64(), custody: u32(r) });
  b.recall = r.optional(() => ({ cls: enumOf(r, 2, 'class'), level: enumOf(r, 2, 'level'), reason: enumOf(r, 6, 'reason'), at: r.u64(), height: r.u64(), tx: hash(r), notices: u32(r) }));
  r.done('batch');
  const rc = b.recall;
  return {
    kind: 'drug-batch',
    regno: b.regno,
    batch: b.batch,
    recalled: rc !== null,
    alert: rc !== null,
    title: `${en() ? 'Batch' : '批次'} ${b.batch} (${b.regno})${rc ? ' — RECALLED / 已回收' : ''}`,
    rows: [
      ['Product registration number / 產品註冊編號', b.regno],
      ['Batch number / 批次編號', b.batch],
      ['Quantity released / 放行數量', num(b.quantity)],
      ['Manufactured / 製造日期', when(b.made)],
      ['Expiry / 有效期至', when(b.expiry)],
      ['Status / 狀況', rc ? `recalled / 已回收: ${recallWords(rc.cls, rc.level, rc.reason)}` : 'not recalled / 未被回收'],
      rc ? ['Recalled / 回收日期', when(rc.at)] : null,
      rc ? ['Holders notified / 獲通知的持有人', String(rc.notices)] : null,
      ['Custody steps / 保管紀錄', String(b.custody)],
    ].filter(Boolean),
    tx: rc ? rc.tx : null,
  };
}

function custody(r) {
  const c = { version: r.u8(), index: u32(r), step: enumOf(r, 2, 'step'), from: hash(r), fromRole: enumOf(r, 3, 'from_role') };
  Object.assign(c, { to: hash(r), toRole: enumOf(r, 3, 'to_role'), quantity: r.u64(), at: r.u64(), height: r.u64(), tx: hash(r), doc: hash(r) });
  r.done('custody record');
  const side = (id, role) => `${shortId(id)} (${pick(ROLE, ROLE_ZH, role)})`;
  return {
    kind: 'drug-custody',
    index: c.index,
    title: `${c.index + 1}. ${pick(STEP, STEP_ZH, c.step)}: ${c.step === 0 ? '' : `${pick(ROLE, ROLE_ZH, c.fromRole)} → `}${pick(ROLE, ROLE_ZH, c.toRole)}, ${num(c.quantity)}`,
    rows: [
      c.step === 0 ? null : ['From / 由', side(c.from, c.fromRole)],
      ['To / 至', side(c.to, c.toRole)],
      ['Quantity / 數量', num(c.quantity)],
      ['When / 時間', when(c.at)],
      isZero(c.doc) ? null : ['Delivery note (SHA-256) / 送貨單雜湊值', c.doc],
    ].filter(Boolean),
    tx: c.tx,
  };
}

function holding(r) {
  const x = { version: r.u8(), regno: str(r, 'regno'), batch: str(r, 'batch'), holder: hash(r), quantity: r.u64(), height: r.u64() };
  r.done('holding');
  return {
    kind: 'drug-holding',
    title: `${shortId(x.holder)}: ${num(x.quantity)}`,
    rows: [['Holder / 持有人', shortId(x.holder)], ['Quantity held / 持有數量', num(x.quantity)]],
  };
}

function notice(r) {
  const n = { version: r.u8(), regno: str(r, 'regno'), batch: str(r, 'batch'), index: u32(r), holder: hash(r), quantity: r.u64() };
  Object.assign(n, { cls: enumOf(r, 2, 'class'), level: enumOf(r, 2, 'level'), reason: enumOf(r, 6, 'reason'), at: r.u64(), acked: r.u64(), returned: r.u64() });
  r.done('recall notice');
  return {
    kind: 'drug-notice',
    holder: n.holder,
    title: `${en() ? 'Recall notice to' : '回收通知：'} ${shortId(n.holder)}`,
    rows: [
      ['Holder / 持有人', shortId(n.holder)],
      ['Held at the recall / 回收時持有', num(n.quantity)],
      ['Recall / 回收', recallWords(n.cls, n.level, n.reason)],
      ['Notified / 通知日期', when(n.at)],
      ['Acknowledged / 確認日期', n.acked ? when(n.acked) : 'not yet / 尚未確認'],
      ['Returned since / 已退回', num(n.returned)],
    ],
  };
}

// environment -------------------------------------------------------------
const PROJECT = ['project profile submitted', 'EIA study brief issued', 'EIA report submitted', 'on public inspection', 'approved', 'approved with conditions', 'approval refused'];
const PROJECT_ZH = ['已提交工程項目簡介', '已發出環評研究概要', '已提交環評報告', '公眾查閱中', '已批准', '有條件批准', '不予批准'];
const PERMIT = ['in force', 'surrendered', 'cancelled'];
const PERMIT_ZH = ['有效', '已交回', '已取消'];
const ACT = ['issued', 'varied', 'transferred', 'surrendered', 'cancelled'];
const ACT_ZH = ['發出', '更改', '轉讓', '交回', '取消'];
const WASTE = ['spent mineral oil', 'halogenated solvent', 'other solvent', 'acid', 'alkali', 'heavy metal solution or sludge', 'paint or ink', 'pesticide', 'lead-acid batteries', 'asbestos', 'laboratory chemicals', 'other chemical waste'];
const WASTE_ZH = ['廢礦物油', '含鹵素溶劑', '其他溶劑', '酸', '鹼', '重金屬溶液或污泥', '油漆或油墨', '除害劑', '鉛酸電池', '石棉', '化驗室化學品', '其他化學廢物'];
const TICKET = ['issued by the producer', 'collected', 'received'];
const TICKET_ZH = ['廢物產生者已發出', '已收集', '已接收'];
const kg = (v) => `${num(v)} kg`;

function project(r) {
  const p = { version: r.u8(), number: str(r, 'number'), title_en: str(r, 'title_en'), title_zh: str(r, 'title_zh'), proponent: hash(r) };
  Object.assign(p, { location: str(r, 'location'), profile: hash(r), submitted: r.u64(), height: r.u64(), status: enumOf(r, 6, 'status'), changed: r.u64() });
  Object.assign(p, { brief: str(r, 'brief_number'), briefHash: hash(r), briefAt: r.u64(), reports: u32(r), start: r.u64(), end: r.u64(), comments: u32(r) });
  Object.assign(p, { decision: hash(r), decided: r.u64(), permit: str(r, 'permit') });
  r.done('project');
  return {
    kind: 'eia-project',
    number: p.number,
    permit: p.permit,
    comments: p.comments,
    title: `${p.number} ${name(p.title_en, p.title_zh)}`,
    rows: [
      ['Project number / 工程項目編號', p.number],
      ['Project / 工程項目', name(p.title_en, p.title_zh)],
      ['Location / 地點', p.location],
      ['Status / 狀況', pick(PROJECT, PROJECT_ZH, p.status)],
      ['Project profile submitted / 提交工程項目簡介', when(p.submitted)],
      ['Project profile (SHA-256) / 工程項目簡介雜湊值', p.profile],
      ['EIA study brief / 環評研究概要', p.brief ? `${p.brief}, ${when(p.briefAt)}` : '—'],
      ['EIA report versions / 環評報告版本', String(p.reports)],
      ['Public inspection / 公眾查閱期', p.start ? `${when(p.start)} – ${when(p.end)}` : '—'],
      ['Public comments received / 收到的公眾意見', String(p.comments)],
      ['Decision / 決定', p.decided ? when(p.decided) : '—'],
      p.decided ? ['Decision document (SHA-256) / 決定文件雜湊值', p.decision] : null,
      ['Environmental permit / 環境許可證', p.permit || '—'],
    ].filter(Boolean),
  };
}

function report(r) {
  const x = { version: r.u8(), project: str(r, 'project'), v: u32(r), doc: hash(r), at: r.u64(), tx: hash(r) };
  r.done('report');
  return {
    kind: 'eia-report',
    title: `${en() ? 'EIA report, version' : '環評報告，第'} ${x.v + 1}${en() ? '' : '版'}`,
    rows: [['Submitted / 提交日期', when(x.at)], ['Report document (SHA-256) / 報告文件雜湊值', x.doc]],
    tx: x.tx,
  };
}

function comment(r) {
  const x = { version: r.u8(), project: str(r, 'project'), index: u32(r), commenter: hash(r), doc: hash(r), at: r.u64() };
  r.done('comment');
  return {
    kind: 'eia-comment',
    title: `${en() ? 'Public comment' : '公眾意見'} ${x.index + 1}`,
    rows: [['Received / 收到日期', when(x.at)], ['Comment (SHA-256) / 意見雜湊值', x.doc]],
  };
}

function permit(r) {
  const p = { version: r.u8(), number: str(r, 'number'), project: str(r, 'project'), holder: hash(r), status: enumOf(r, 2, 'status') };
  Object.assign(p, { v: u32(r), doc: hash(r), issued: r.u64(), changed: r.u64(), history: u32(r), submissions: u32(r) });
  r.done('permit');
  return {
    kind: 'eia-permit',
    number: p.number,
    title: `${p.number} ${en() ? 'environmental permit' : '環境許可證'}`,
    rows: [
      ['Permit number / 許可證編號', p.number],
      ['Project / 工程項目', p.project],
      ['Holder / 持證人', shortId(p.holder)],
      ['Status / 狀況', pick(PERMIT, PERMIT_ZH, p.status)],
      ['Issued / 發出日期', when(p.issued)],
      ['Version / 版本', String(p.v)],
      ['Permit document (SHA-256) / 許可證文件雜湊值', p.doc],
      ['Recorded acts / 紀錄的行動', String(p.history)],
    ],
  };
}

function permitHistory(r) {
  const x = { version: r.u8(), permit: str(r, 'permit'), index: u32(r), act: enumOf(r, 4, 'act'), v: u32(r), before: hash(r), after: hash(r) };
  Object.assign(x, { doc: hash(r), at: r.u64(), height: r.u64(), tx: hash(r) });
  r.done('permit history');
  return {
    kind: 'eia-permit-history',
    title: `${x.index + 1}. ${pick(ACT, ACT_ZH, x.act)} (${en() ? 'version' : '版本'} ${x.v})`,
    rows: [
      ['Recorded / 記錄日期', when(x.at)],
      isZero(x.before) || x.before === x.after ? null : ['Holder before / 原持證人', shortId(x.before)],
      ['Holder / 持證人', shortId(x.after)],
      ['Permit document (SHA-256) / 許可證文件雜湊值', x.doc],
    ].filter(Boolean),
    tx: x.tx,
  };
}

function submission(r) {
  const x = { version: r.u8(), permit: str(r, 'permit'), index: u32(r), by: hash(r), doc: hash(r), start: r.u64(), end: r.u64(), at: r.u64() };
  r.done('submission');
  return {
    kind: 'eia-submission',
    title: `${en() ? 'Monitoring and audit submission' : '監察及審核報告'} ${x.index + 1}`,
    rows: [['Period / 期間', `${when(x.start)} – ${when(x.end)}`], ['Submitted / 提交日期', when(x.at)], ['Document (SHA-256) / 文件雜湊值', x.doc]],
  };
}

function ticket(r) {
  const x = { version: r.u8(), number: str(r, 'number'), producer: hash(r), cr: str(r, 'producer_cr'), waste: enumOf(r, 11, 'waste_type'), declared: r.u64() };
  Object.assign(x, { premises: str(r, 'from_premises'), reception: hash(r), collector: hash(r), status: enumOf(r, 2, 'status'), issued: r.u64(), height: r.u64() });
  Object.assign(x, { deadline: r.u64(), collected: r.u64(), vehicle: str(r, 'vehicle'), received: r.u64(), measured: r.u64(), tolerance: u32(r) });
  Object.assign(x, { mismatch: r.bool(), overdue: r.bool(), flagged: r.u64() });
  r.done('trip-ticket');
  const flags = [x.mismatch ? 'weight mismatch / 重量不符' : null, x.overdue ? 'overdue / 逾期' : null].filter(Boolean);
  return {
    kind: 'trip-ticket',
    flags: { weight_mismatch: x.mismatch, overdue: x.overdue },
    alert: flags.length > 0,
    title: `${x.number} ${en() ? 'chemical waste trip-ticket' : '化學廢物運載記錄'}${flags.length ? ` — ${flags.join(', ')}` : ''}`,
    rows: [
      ['Trip-ticket number / 運載記錄編號', x.number],
      ['Waste / 廢物', pick(WASTE, WASTE_ZH, x.waste)],
      ['Status / 狀況', pick(TICKET, TICKET_ZH, x.status)],
      ['1. Issued by the producer / 廢物產生者發出', `${x.cr} (${shortId(x.producer)}), ${x.premises}, ${when(x.issued)}; ${en() ? 'declared' : '申報'} ${kg(x.declared)}`],
      ['2. Collected / 收集', x.collected ? `${shortId(x.collector)}, ${x.vehicle}, ${when(x.collected)}` : `${en() ? 'not yet, by' : '尚未收集，收集商'} ${shortId(x.collector)}`],
      ['3. Received and weighed / 接收及過磅', x.received ? `${shortId(x.reception)}, ${when(x.received)}; ${en() ? 'measured' : '量度'} ${kg(x.measured)}` : `${en() ? 'not yet, at' : '尚未接收，接收點'} ${shortId(x.reception)}`],
      ['Deadline / 限期', when(x.deadline)],
      ['Weight mismatch / 重量不符', x.received ? `${yes(x.mismatch)} (${en() ? 'tolerance' : '容許偏差'} ${x.tolerance / 100}%)` : yes(x.mismatch)],
      ['Overdue / 逾期', yes(x.overdue)],
      x.flagged ? ['Flagged / 標記日期', when(x.flagged)] : null,
    ].filter(Boolean),
  };
}

// health: ONLY issuer, type, time and status (docs/contracts/health.md). ----
const HTYPE = [null, 'vaccination record', 'laboratory result', 'discharge summary', 'prescription', 'medical certificate'];
const HTYPE_ZH = [null, '疫苗接種紀錄', '化驗結果', '出院摘要', '處方', '醫生證明書'];

function healthRecord(r) {
  const x = { version: r.u8(), id: hash(r), type: r.u8('record_type'), issuer: hash(r) };
  if (x.type < 1 || x.type > 5) throw new Error('record_type');
  r.raw(32); // the subject (the patient's pseudonymous account): not shown
  x.commitment = hash(r);
  Object.assign(x, { issued: r.u64(), height: r.u64(), status: enumOf(r, 1, 'status'), revoked: r.u64(), reason: r.u8(), erased: r.bool(), erasedAt: r.u64() });
  r.raw(32); // the erasing account: not shown
  r.done('health record');
  const status = [x.status === 1 ? `revoked / 已撤銷 (${when(x.revoked)})` : 'valid / 有效', x.erased ? `erased / 已刪除 (${when(x.erasedAt)})` : null];
  return {
    kind: 'health-record',
    commitment: x.commitment,
    checkKind: 'health',
    alert: x.status === 1 || x.erased,
    title: `${pick(HTYPE, HTYPE_ZH, x.type)} — ${en() ? 'issued by' : '簽發者'} ${shortId(x.issuer)}`,
    rows: [
      ['Issuer / 簽發機構', shortId(x.issuer)],
      ['Type / 類別', pick(HTYPE, HTYPE_ZH, x.type)],
      ['Issued / 簽發時間', when(x.issued)],
      ['Status / 狀況', status.filter(Boolean).join('; ')],
    ],
  };
}

// system (governance): proposals with their approvals; each epoch's validator set.
const PKIND = ['add a validator', 'remove a validator', "rotate a validator's key", 'add a department', 'retire a department', "rotate a department admin's key", 'set a chain parameter'];
const PKIND_ZH = ['加入驗證者', '移除驗證者', '更換驗證者金鑰', '加入部門', '撤銷部門', '更換部門管理員金鑰', '設定鏈參數'];
const PSTATUS = ['open for approvals', 'passed (took effect)', 'withdrawn', 'expired without enough approvals'];
const PSTATUS_ZH = ['徵求批准中', '已通過（已生效）', '已撤回', '已過期（批准不足）'];

function proposal(r) {
  const p = { version: r.u8(), id: r.u64(), kind: enumOf(r, 6, 'kind') };
  r.bytes(BIG, 'terms');
  Object.assign(p, { proposer: hash(r), dept: str(r, 'proposer_department'), height: r.u64(), created: r.u64(), expiry: r.u64(), status: enumOf(r, 3, 'status') });
  p.approvals = r.seq(BIG, 'approvals', () => ({ dept: str(r, 'department'), admin: hash(r), height: r.u64(), at: r.u64() }));
  p.closed = r.u64();
  r.done('proposal');
  return {
    kind: 'proposal',
    title: `${en() ? 'Proposal' : '建議'} ${p.id}: ${pick(PKIND, PKIND_ZH, p.kind)}`,
    rows: [
      ['Proposed by / 提出部門', `${p.dept}, ${when(p.created)}`],
      ['Status / 狀況', pick(PSTATUS, PSTATUS_ZH, p.status)],
      ['Approvals / 批准', p.approvals.map((a) => `${a.dept} (${when(a.at)})`).join('; ') || '—'],
      ['Open until / 有效期至', when(p.expiry)],
      p.closed ? ['Closed at block / 結束於區塊', String(p.closed)] : null,
    ].filter(Boolean),
  };
}

function epochValidators(r) {
  r.u8('version');
  const set = readValidatorSet(r);
  const decided = r.u64();
  r.done('epoch validators');
  return {
    kind: 'validator-set',
    title: `${en() ? 'Epoch' : '紀元'} ${set.epoch}: ${set.validators.map((v) => v.name).join(', ')}`,
    rows: [
      ['Validators (voting power) / 驗證者（投票權）', set.validators.map((v) => `${v.name} (${v.voting_power})`).join(', ')],
      ['Decided / 決定', decided ? `${en() ? 'at block' : '於區塊'} ${decided}` : 'the genesis set / 創始驗證者組合'],
    ],
  };
}

export const REGISTER_DECODERS = {
  system: { 6: epochValidators, 7: proposal },
  drugs: { 1: product, 2: batch, 3: custody, 4: holding, 5: notice },
  environment: { 1: project, 2: report, 3: comment, 4: permit, 5: permitHistory, 6: submission, 0x10: ticket },
  health: { 1: healthRecord },
};
