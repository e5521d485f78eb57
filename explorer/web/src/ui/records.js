// Plain-words views of the trademark and company registers' records, decoded
// from the proven value bytes (layouts: contracts/include/bauhinia/contracts/
// {trademark,company}/records.hpp, docs/contracts/). For display only: what
// the Verify button proves is the value's bytes, whatever this shows.
import { Reader } from '../verify/decode.js';
import { toHex } from '../verify/bytes.js';
import { currentLang, formatTime } from './i18n.js';
import { REGISTER_DECODERS } from './records_registers.js';

const BIG = 1 << 20;
const str = (r, f) => r.string(BIG, f);
const date = (r) => {
  const b = r.raw(4);
  const y = b[0] | (b[1] << 8);
  return `${y}-${String(b[2]).padStart(2, '0')}-${String(b[3]).padStart(2, '0')}`;
};
const u32 = (r) => {
  const b = r.raw(4);
  return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24;
};
const ms = (r) => r.u64();
const party = (r) => ({ account: toHex(r.raw(32)), name_en: str(r, 'name_en'), name_zh: str(r, 'name_zh'), cr_number: str(r, 'cr') });
const classes = (r) => r.seq(BIG, 'classes', () => ({ nice_class: r.u8(), items: r.seq(BIG, 'items', () => str(r, 'item')) }));
const name = (en, zh) => (currentLang() === 'en' ? [en, zh] : [zh, en]).filter(Boolean).join(' / ');
const when = (v) => (v ? formatTime(v) : '—');

const MARK_STATUS = ['filed', 'under examination', 'accepted', 'published for opposition', 'opposed', 'registered', 'refused', 'withdrawn', 'removed', 'revoked', 'invalidated'];
const MARK_STATUS_ZH = ['已提交', '審查中', '已接納', '已公布待異議', '受異議', '已註冊', '已拒絕', '已撤回', '已移除', '已撤銷', '已宣布無效'];
const TM_KIND = ['assignment', 'partial assignment', 'split from', 'licence', 'security interest', 'taken over from the legacy register'];
const TM_KIND_ZH = ['轉讓', '部分轉讓', '分拆自', '特許', '擔保權益', '由舊登記冊接收'];
const CO_TYPE = ['private company limited by shares', 'public company limited by shares', 'company limited by guarantee', 'private unlimited company', 'public unlimited company', 'registered non-Hong Kong company'];
const CO_STATUS = ['live', 'deregistration applied', 'deregistration gazetted', 'strike-off inquiry', 'strike-off gazetted', 'deregistered', 'struck off', 'dissolved'];
const FILING = ['incorporation (NNC1)', 'annual return (NAR1)', 'change of officers (ND2A)', 'change of registered office (NR1)', 'change of name (NNC2)', 'legacy register record'];
const pick = (en, zh, i) => (currentLang() === 'en' ? en[i] : (zh ?? en)[i]) ?? String(i);

function mark(r) {
  const m = { version: r.u8(), number: str(r, 'number'), text_en: str(r, 'text_en'), text_zh: str(r, 'text_zh') };
  r.optional(() => r.raw(32));
  m.owner = party(r);
  m.classes = classes(r);
  m.filing = ms(r);
  m.status = r.u8();
  return {
    kind: 'trademark',
    title: `${m.number} ${name(m.text_en, m.text_zh)}`,
    rows: [
      ['Trade mark number / 商標編號', m.number],
      ['Mark / 商標', name(m.text_en, m.text_zh)],
      ['Owner / 擁有人', name(m.owner.name_en, m.owner.name_zh)],
      ['Status / 狀況', pick(MARK_STATUS, MARK_STATUS_ZH, m.status)],
      ['Classes / 類別', m.classes.map((c) => c.nice_class).join(', ')],
      ['Filed / 提交日期', when(m.filing)],
    ],
  };
}

function history(r) {
  const x = { version: r.u8(), index: u32(r), kind: r.u8(), tx: toHex(r.raw(32)), height: r.u64(), entry: ms(r), effective: ms(r) };
  x.from = party(r);
  x.to = party(r);
  return {
    kind: 'trademark-history',
    title: `${pick(TM_KIND, TM_KIND_ZH, x.kind)}: ${name(x.from.name_en, x.from.name_zh)} → ${name(x.to.name_en, x.to.name_zh)}`,
    rows: [
      ['Recorded / 記錄日期', when(x.entry)],
      ['Effective / 生效日期', when(x.effective)],
      ['From / 由', name(x.from.name_en, x.from.name_zh)],
      ['To / 至', name(x.to.name_en, x.to.name_zh)],
    ],
    tx: x.tx,
  };
}

function company(r) {
  const c = { version: r.u8(), number: str(r, 'number'), name_en: str(r, 'name_en'), name_zh: str(r, 'name_zh'), type: r.u8(), office: str(r, 'office') };
  r.raw(32);
  ms(r);
  c.incorporated = date(r);
  c.next_return = date(r);
  c.next_due = date(r);
  u32(r);
  u32(r);
  u32(r);
  c.status = r.u8();
  return {
    kind: 'company',
    title: `${c.number} ${name(c.name_en, c.name_zh)}`,
    rows: [
      ['CR number / 公司編號', c.number],
      ['Name / 名稱', name(c.name_en, c.name_zh)],
      ['Type / 類別', CO_TYPE[c.type] ?? String(c.type)],
      ['Status / 狀況', CO_STATUS[c.status] ?? String(c.status)],
      ['Incorporated / 成立日期', c.incorporated],
      ['Registered office / 註冊辦事處', c.office],
      ['Next annual return due / 下次周年申報表到期', c.next_due],
    ],
  };
}

function filing(r) {
  const f = { version: r.u8(), number: str(r, 'number'), seq: u32(r), kind: r.u8(), doc: toHex(r.raw(32)), event: date(r), due: date(r), filed: ms(r) };
  f.filed_date = date(r);
  f.late = r.bool();
  return {
    kind: 'filing',
    late: f.late,
    title: `${FILING[f.kind] ?? f.kind}${f.late ? ' — LATE / 逾期' : ''}`,
    rows: [
      ['Filed / 提交日期', f.filed_date],
      ['Due / 到期日', f.due],
      ['Late / 逾期', f.late ? 'yes / 是' : 'no / 否'],
    ],
  };
}

function officer(r) {
  const o = { version: r.u8(), number: str(r, 'number'), id: u32(r), role: r.u8(), name_en: str(r, 'name_en'), name_zh: str(r, 'name_zh') };
  o.partial_id = str(r, 'partial_id');
  o.address = str(r, 'address');
  o.id_commitment = toHex(r.raw(32));
  r.raw(32);
  o.appointed = date(r);
  o.resigned = r.optional(() => date(r));
  return {
    kind: 'officer',
    commitment: o.id_commitment,
    title: `${o.role === 0 ? 'Director / 董事' : 'Secretary / 秘書'}: ${name(o.name_en, o.name_zh)}`,
    rows: [
      ['Identity number (as the register shows it) / 身份證明文件號碼', o.partial_id],
      ['Correspondence address / 通訊地址', o.address],
      ['Appointed / 委任日期', o.appointed],
      ['Resigned / 辭任日期', o.resigned ?? '—'],
      ['Identity number commitment / 號碼承諾值', o.id_commitment],
    ],
  };
}

const DECODERS = {
  trademark: { 1: mark, 3: history },
  company: { 1: company, 3: filing, 4: officer },
  ...REGISTER_DECODERS,
};

// null when the record kind is not one shown in plain words, or it does not decode.
export function describeRecord(module, keyBytes, valueBytes) {
  const d = DECODERS[module]?.[keyBytes[0]];
  if (!d || !valueBytes) return null;
  try {
    return d(new Reader(valueBytes));
  } catch {
    return null;
  }
}
