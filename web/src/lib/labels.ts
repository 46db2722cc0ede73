/**
 * Names of the API's codes, in both languages. Unknown codes are shown as they are. Names the policy
 * holds (kinds, bodies, purposes) and its deadline come from the catalogue (`catalogue.ts`), not from here.
 */
import { type Text, tr } from './i18n.ts';

type Labels = Readonly<Record<string, Text>>;

export const TREATMENTS: Labels = {
  ISSUABLE: { zh: '派出所可出具', en: 'Issued by the police station' },
  PROVABLE_BY_HUKOU: { zh: '户口簿、身份证能证明，不再出具', en: 'Shown by the hukou booklet or ID card' },
  NO_LEGAL_BASIS: { zh: '无法律依据，已取消', en: 'Abolished: no legal basis' },
  NOT_POLICE_INFORMATION: { zh: '不属于公安机关掌握的信息', en: 'Not police information' },
  EXCHANGE: { zh: '部门间信息核查', en: 'Checked between departments' },
  UNLISTED: { zh: '目录外的证明', en: 'Not in the catalogue' },
};

/** What the citizen will get, shown before submitting. */
export const TREATMENT_ADVICE: Labels = {
  ISSUABLE: {
    zh: '派出所出具此证明：登记信息足以证明的当场出具，需要调查核实的自受理之日起{days}个工作日内出具。',
    en: 'The police station issues this certificate: on the spot when the registry suffices, otherwise within {days} working days of acceptance after an investigation.',
  },
  PROVABLE_BY_HUKOU: {
    zh: '您不需要开具证明：出示居民户口簿或居民身份证即可，要求单位也可以通过信息核查直接确认。',
    en: 'You do not need a certificate for this: show your hukou booklet or resident ID card. The asking body may also verify it through information exchange.',
  },
  NO_LEGAL_BASIS: {
    zh: '此类证明没有法律依据，已被取消，任何单位都不应再要求您提供。',
    en: 'This certificate has no legal basis and has been abolished; no body may ask you for it.',
  },
  NOT_POLICE_INFORMATION: {
    zh: '公安机关不掌握此信息，请向掌握该信息的部门查询：{heldBy}。',
    en: 'The police do not hold this information. Ask the body that holds it: {heldBy}.',
  },
  EXCHANGE: {
    zh: '由要求单位通过信息流转向公安机关直接核查，您无需开具证明、无需跑腿。',
    en: 'The asking body checks this directly with the police through information exchange; no certificate and no trip for you.',
  },
  UNLISTED: {
    zh: '目录中没有的证明：市（州）以下单位自行要求的一律取消；有法律依据的，请选“法律法规规定的其他证明”并填写依据。',
    en: 'A certificate the catalogue does not name: demands of city and county bodies are abolished; where a law requires it, choose “other certificate required by law” and cite the law.',
  },
};

/** Administrative level of the asking body (the notice's fourth 一律: below provincial is local). */
export const BODY_LEVELS: Labels = {
  NATIONAL: { zh: '中央（国家）级', en: 'National' },
  PROVINCIAL: { zh: '省级', en: 'Provincial' },
  CITY: { zh: '市（州）级', en: 'City (prefecture)' },
  COUNTY: { zh: '县（区）级', en: 'County (district)' },
  TOWNSHIP: { zh: '乡镇（街道）级', en: 'Township (street)' },
};

export const RELATIONS: Labels = {
  FATHER: { zh: '父亲', en: 'Father' },
  MOTHER: { zh: '母亲', en: 'Mother' },
  SON: { zh: '儿子', en: 'Son' },
  DAUGHTER: { zh: '女儿', en: 'Daughter' },
  SPOUSE: { zh: '配偶', en: 'Spouse' },
  BROTHER: { zh: '兄弟', en: 'Brother' },
  SISTER: { zh: '姐妹', en: 'Sister' },
  GRANDPARENT: { zh: '祖父母、外祖父母', en: 'Grandparent' },
  GRANDCHILD: { zh: '孙子女、外孙子女', en: 'Grandchild' },
  OTHER: { zh: '其他', en: 'Other' },
};

/**
 * What an exchange answer says (shared/domain/exchange.ts `answerFromRegistry`, periodic-exchange.ts), as
 * the person it is about reads it on /my-data: its keys, and the codes among its values.
 */
export const ANSWER_KEYS: Labels = {
  onRecord: { zh: '户籍在册', en: 'on the registry' },
  nameMatches: { zh: '姓名相符', en: 'name matches' },
  currentName: { zh: '现用名', en: 'current name' },
  changes: { zh: '姓名变更', en: 'name changes' },
  status: { zh: '户籍状态', en: 'hukou status' },
  reason: { zh: '原因', en: 'reason' },
  cancelledOn: { zh: '注销日期', en: 'cancelled on' },
  station: { zh: '户籍派出所', en: 'hukou station' },
  deathRegistered: { zh: '已登记死亡', en: 'death registered' },
  deathRegisteredOn: { zh: '死亡登记日期', en: 'death registered on' },
  hukouCancelled: { zh: '户口已注销', en: 'hukou cancelled' },
  relatedPerson: { zh: '关系人', en: 'related person' },
  claimedRelation: { zh: '所称关系', en: 'relation claimed' },
  related: { zh: '关系有登记', en: 'relation on record' },
  via: { zh: '登记的关系', en: 'recorded as' },
  sameHousehold: { zh: '同一户', en: 'same household' },
  hasRecord: { zh: '有犯罪记录', en: 'criminal record' },
  checked: { zh: '已核查', en: 'checked' },
  subjectRelationToHead: { zh: '本人与户主关系', en: 'your relation to the head of household' },
  relatedRelationToHead: { zh: '关系人与户主关系', en: 'their relation to the head of household' },
  change: { zh: '变动', en: 'change' },
  effectiveOn: { zh: '生效日期', en: 'effective on' },
  changeId: { zh: '变动编号', en: 'change number' },
  from: { zh: '原', en: 'from' },
  to: { zh: '现', en: 'to' },
};

export const ANSWER_VALUES: Labels = {
  ACTIVE: { zh: '正常', en: 'active' },
  CANCELLED: { zh: '已注销', en: 'cancelled' },
  NOT_ON_RECORD: { zh: '未在册', en: 'not on record' },
  DEATH: { zh: '死亡', en: 'death' },
  EMIGRATION: { zh: '出国（境）定居', en: 'emigration' },
  ENLISTMENT: { zh: '入伍', en: 'enlistment' },
  HUKOU_CANCELLED: { zh: '户口注销', en: 'hukou cancelled' },
  NAME_CHANGED: { zh: '姓名变更', en: 'change of name' },
  GENDER_CHANGED: { zh: '性别变更', en: 'change of gender' },
  MIGRATED: { zh: '户口迁出', en: 'hukou moved out' },
  PARENT_CHILD: { zh: '父母子女', en: 'parent and child' },
  SIBLING: { zh: '兄弟姐妹', en: 'siblings' },
  HEAD: { zh: '户主', en: 'head of household' },
  M: { zh: '男', en: 'male' },
  F: { zh: '女', en: 'female' },
};

export const APPLICANT_KINDS: Labels = {
  SELF: { zh: '本人', en: 'Myself' },
  AGENT: { zh: '受委托人代办', en: 'An agent with a power of attorney' },
  UNIT: { zh: '单位（凭介绍信）', en: 'An organisation (with a letter)' },
};

export const STATUSES: Labels = {
  RECEIVED: { zh: '已受理', en: 'Received' },
  CHECKING: { zh: '规则审查中', en: 'Checking the rules' },
  DECLINED: { zh: '不予出具', en: 'Declined' },
  ANSWERED_BY_EXCHANGE: { zh: '已通过信息流转答复', en: 'Answered by exchange' },
  INVESTIGATING: { zh: '调查核实中', en: 'Under investigation' },
  ESCALATED: { zh: '已超期，上级督办中', en: 'Overdue, escalated' },
  ISSUED: { zh: '已出具证明', en: 'Certificate issued' },
  REFUSED: { zh: '核实后不予出具', en: 'Refused after investigation' },
};

export const OUTCOMES: Labels = {
  DECLINED_PROVABLE_BY_HUKOU: { zh: '户口簿、身份证可证明', en: 'Provable by hukou booklet or ID' },
  DECLINED_NO_LEGAL_BASIS: { zh: '无法律依据', en: 'No legal basis' },
  DECLINED_NOT_POLICE_INFORMATION: { zh: '非公安机关掌握信息', en: 'Not police information' },
  DECLINED_APPLICANT_NOT_ENTITLED: { zh: '申请人无权申请', en: 'Applicant not entitled' },
  ANSWERED_BY_EXCHANGE: { zh: '信息流转答复', en: 'Answered by exchange' },
  COMMITMENT_ACCEPTED: { zh: '告知承诺代替证明', en: 'Signed commitment instead of a certificate' },
  ISSUE_ON_THE_SPOT: { zh: '当场出具', en: 'Issued on the spot' },
  INVESTIGATE: { zh: '调查核实', en: 'Investigation' },
  ISSUED: { zh: '已出具', en: 'Issued' },
  REFUSED: { zh: '不予出具', en: 'Refused' },
  CONFIRMED: { zh: '核实属实', en: 'Confirmed' },
  REFUTED: { zh: '核实不实', en: 'Refuted' },
};

export const HISTORY_TYPES: Labels = {
  RECEIVED: { zh: '申请已受理', en: 'Request received' },
  REQUEST_RECEIVED: { zh: '申请已受理', en: 'Request received' },
  CHECKING: { zh: '开始规则审查', en: 'Rule check started' },
  DECISION: { zh: '作出决定', en: 'Decision made' },
  DECIDED: { zh: '作出决定', en: 'Decision made' },
  DECLINED: { zh: '不予出具', en: 'Declined' },
  EXCHANGE: { zh: '信息流转答复', en: 'Answered by exchange' },
  EXCHANGE_ANSWERED: { zh: '信息流转答复', en: 'Answered by exchange' },
  ANSWERED_BY_EXCHANGE: { zh: '信息流转答复', en: 'Answered by exchange' },
  INVESTIGATING: { zh: '开始调查核实', en: 'Investigation started' },
  INVESTIGATION_STARTED: { zh: '开始调查核实', en: 'Investigation started' },
  DEADLINE_WARNING: { zh: '期限预警', en: 'Deadline warning' },
  ESCALATED: { zh: '超期上报督办', en: 'Escalated to a supervisor' },
  FINDING: { zh: '收到核实结果', en: 'Finding recorded' },
  FINDING_RECORDED: { zh: '收到核实结果', en: 'Finding recorded' },
  FINDING_RECEIVED: { zh: '收到核实结果', en: 'Finding received' },
  ISSUED: { zh: '证明已出具', en: 'Certificate issued' },
  CERTIFICATE_ISSUED: { zh: '证明已出具', en: 'Certificate issued' },
  REFUSED: { zh: '核实后不予出具', en: 'Refused after investigation' },
  DELIVERED: { zh: '已通知相关部门', en: 'Departments notified' },
  DELIVERY_FAILED: { zh: '通知部门失败，已转人工', en: 'Notifying a department failed; handed to staff' },
  WARNING: { zh: '期限预警', en: 'Deadline warning' },
  WARNED: { zh: '期限预警：明天到期', en: 'Deadline warning: due within a working day' },
  DISPATCHED: { zh: '已交派出所调查', en: 'Handed to the station for investigation' },
  REDISPATCHED: { zh: '重新交办调查', en: 'Handed over again' },
  WORKFLOW_STEP_FAILED: {
    zh: '办理步骤出错，系统将自动恢复',
    en: 'A processing step failed; it resumes automatically',
  },
  WORKFLOW_RESTARTED: { zh: '系统恢复办理', en: 'Processing resumed' },
  ASSIGNED: { zh: '认领 / 分派承办民警', en: 'Claimed / assigned to an officer' },
  PERSONAL_DATA_REVEALED: { zh: '查看完整身份信息', en: 'Full ID numbers viewed' },
  WARN: { zh: '期限预警', en: 'Deadline warning' },
};

/** Statuses of a complaint (GET /v1/complaints/{id}); the kinds' names come from the API's policy data. */
export const COMPLAINT_STATUSES: Labels = {
  ACCEPTED: { zh: '已受理', en: 'Accepted' },
  ASSIGNED: { zh: '已交上级督导部门办理', en: 'With the supervising bureau' },
  ESCALATED: { zh: '逾期未办，已提级督办', en: 'Overdue, moved up a level' },
  UPHELD: { zh: '经查属实', en: 'Upheld' },
  NOT_UPHELD: { zh: '经查不属实', en: 'Not upheld' },
};

export function label(labels: Labels, code: string | undefined): string {
  if (!code) return '';
  const text = labels[code];
  return text ? tr(text) : code;
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  'DECLINED',
  'ANSWERED_BY_EXCHANGE',
  'ISSUED',
  'REFUSED',
]);
