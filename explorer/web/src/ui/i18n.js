// English and Traditional Chinese. The choice is remembered (localStorage)
// and sets <html lang>.
const STRINGS = {
  en: {
    skip: 'Skip to main content',
    brand: 'Bauhinia Ledger Explorer',
    'search.label': 'Search by register number, name, block height, transaction id or address',
    'search.go': 'Search',
    'nav.home': 'Home',
    'nav.check': 'Check my record',
    loading: 'Loading…',
    footer: "Every answer on this site can be checked in your own browser with the Verify button: nothing needs to be trusted but the consortium's genesis file.",
    'home.title': 'The ledger at a glance',
    'home.checkpoint': 'Certified checkpoint',
    'home.latest': 'Latest blocks',
    'home.validators': 'Validators',
    'home.nodes': 'Nodes followed',
    'home.signers': 'Certified by',
    height: 'Height',
    epoch: 'Epoch',
    time: 'Time',
    transactions: 'Transactions',
    proposer: 'Proposer',
    'block.id': 'Block id',
    'block.title': 'Block {h}',
    'block.none': 'This block holds no transactions.',
    'tx.title': 'Transaction',
    'tx.call': 'What happened',
    'tx.sender': 'Signed by',
    'tx.cosigners': 'Co-signed by',
    'tx.outcome': 'Outcome',
    'tx.recorded': 'Recorded in block {h} on {t}',
    'tx.technical': 'Technical details',
    'record.title': 'Record',
    'record.absent': 'There is no such record on the register.',
    'record.related': 'History and related records',
    'record.value': 'Recorded value',
    'record.filings': 'Filings',
    'record.officers': 'Directors and secretary',
    'search.results': 'Search results for “{q}”',
    'search.none': 'Nothing matches “{q}”. Check the number or try part of the name (at least 2 characters).',
    verify: 'Verify',
    'verify.running': 'Verifying in your browser…',
    'verify.ok': 'Verified at height {h}',
    'verify.fail': 'Verification failed',
    'verify.proven': 'What was proven',
    'verify.against': 'Checked against block {h} of epoch {e}, certified by {s} of {n} validators (voting power {p} of {t}, quorum {q})',
    'verify.reason': 'Failed check',
    'verify.genesis': 'Starting from the genesis validator set (compare with the consortium’s published hash)',
    'verify.local': 'Checked here with the JavaScript verifier; the explorer was not trusted.',
    'check.title': 'Check my record against its on-chain commitment',
    'check.intro': 'The register keeps only a salted commitment of a director’s full identity number. Enter your number and the salt you were given; the commitment is computed in this browser and nothing is sent anywhere.',
    'check.value': 'Full identity document number (e.g. A1234567)',
    'check.salt': 'Salt (64 hexadecimal characters)',
    'check.commitment': 'Commitment on the register (64 hexadecimal characters)',
    'check.go': 'Check',
    'check.match': 'It matches: the register holds a commitment of exactly this number.',
    'check.nomatch': 'It does not match: this number and salt do not open that commitment.',
    'check.bad': 'The salt and the commitment must each be 64 hexadecimal characters.',
    'check.computed': 'Computed commitment',
    'error.title': 'Something went wrong',
    copy: 'Copy',
    copied: 'Copied',
    'outcome.success': 'Done',
    'outcome.other': 'Refused: {r}',
    present: 'Present',
    'module.trademark': 'Trade Marks Registry (Intellectual Property Department)',
    'module.company': 'Companies Registry',
    'module.accounts': 'Accounts',
    'module.system': 'Governance',
    'module.anchor': 'Document anchoring',
    older: 'Older blocks',
    more: 'More',
    'account.title': 'Account',
    'account.none': 'This account has sent no transactions.',
  },
  'zh-Hant': {
    skip: '跳至主要內容',
    brand: '洋紫荊分類帳瀏覽器',
    'search.label': '以註冊編號、名稱、區塊高度、交易編號或地址搜尋',
    'search.go': '搜尋',
    'nav.home': '首頁',
    'nav.check': '核對我的紀錄',
    loading: '載入中…',
    footer: '本網站的每項資料都可在你的瀏覽器內以「核實」按鈕自行核對：除財團的創始檔案外，毋須信任任何一方。',
    'home.title': '分類帳概覽',
    'home.checkpoint': '已認證的檢查點',
    'home.latest': '最新區塊',
    'home.validators': '驗證者',
    'home.nodes': '跟隨的節點',
    'home.signers': '認證者',
    height: '高度',
    epoch: '紀元',
    time: '時間',
    transactions: '交易',
    proposer: '提議者',
    'block.id': '區塊編號',
    'block.title': '區塊 {h}',
    'block.none': '此區塊沒有交易。',
    'tx.title': '交易',
    'tx.call': '發生了甚麼',
    'tx.sender': '簽署人',
    'tx.cosigners': '聯署人',
    'tx.outcome': '結果',
    'tx.recorded': '於 {t} 記錄在區塊 {h}',
    'tx.technical': '技術資料',
    'record.title': '紀錄',
    'record.absent': '登記冊上沒有此紀錄。',
    'record.related': '歷史及相關紀錄',
    'record.value': '記錄的內容',
    'record.filings': '提交的文件',
    'record.officers': '董事及秘書',
    'search.results': '「{q}」的搜尋結果',
    'search.none': '沒有與「{q}」相符的結果。請核對編號，或輸入名稱的一部分（最少兩個字）。',
    verify: '核實',
    'verify.running': '正在你的瀏覽器內核實…',
    'verify.ok': '已於高度 {h} 核實',
    'verify.fail': '核實失敗',
    'verify.proven': '已證明的內容',
    'verify.against': '對照紀元 {e} 的區塊 {h}，由 {n} 名驗證者中的 {s} 名認證（投票權 {p}／{t}，法定票數 {q}）',
    'verify.reason': '未通過的檢查',
    'verify.genesis': '起點：創始驗證者組合（請與財團公布的雜湊值比對）',
    'verify.local': '由本瀏覽器內的 JavaScript 核實程式檢查，毋須信任瀏覽器網站。',
    'check.title': '以鏈上承諾值核對我的紀錄',
    'check.intro': '登記冊只保存董事完整身份證明文件號碼的加鹽承諾值。請輸入你的號碼和獲發的鹽值；承諾值在本瀏覽器內計算，不會傳送任何資料。',
    'check.value': '完整身份證明文件號碼（例如 A1234567）',
    'check.salt': '鹽值（64 個十六進位字元）',
    'check.commitment': '登記冊上的承諾值（64 個十六進位字元）',
    'check.go': '核對',
    'check.match': '相符：登記冊上的承諾值正是此號碼的承諾值。',
    'check.nomatch': '不相符：此號碼及鹽值與該承諾值不符。',
    'check.bad': '鹽值及承諾值須各為 64 個十六進位字元。',
    'check.computed': '計算所得的承諾值',
    'error.title': '發生錯誤',
    copy: '複製',
    copied: '已複製',
    'outcome.success': '完成',
    'outcome.other': '被拒：{r}',
    present: '存在',
    'module.trademark': '商標註冊處（知識產權署）',
    'module.company': '公司註冊處',
    'module.accounts': '帳戶',
    'module.system': '管治',
    'module.anchor': '文件存證',
    older: '較早的區塊',
    more: '更多',
    'account.title': '帳戶',
    'account.none': '此帳戶未曾發出交易。',
  },
};

const KEY = 'bauhinia-explorer-lang';
let lang = 'en';
try {
  const saved = globalThis.localStorage?.getItem(KEY);
  if (saved && STRINGS[saved]) lang = saved;
} catch {
  /* storage may be disabled */
}

export function currentLang() {
  return lang;
}

export function setLang(l) {
  lang = STRINGS[l] ? l : 'en';
  try {
    globalThis.localStorage?.setItem(KEY, lang);
  } catch {
    /* ignore */
  }
}

export function t(key, vars = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

export function formatTime(ms) {
  const d = new Date(Number(ms));
  return d.toLocaleString(lang === 'en' ? 'en-HK' : 'zh-HK', { timeZone: 'Asia/Hong_Kong', dateStyle: 'medium', timeStyle: 'short' });
}
