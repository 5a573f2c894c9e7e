// The baseline server's database work: for each bench case, the statements a plain server needs to do
// what teamgraph does for that request, written by hand, naming their columns, prepared once: on SQLite
// better-sqlite3 statements, on PostgreSQL named statements through pg, as many connections as
// teamgraph's pool. A check that can ride in the statement that reads or writes rides in it, as an
// `exists` or a join (docs/benchmarks.md, "The baseline").
import SqliteDatabase from 'better-sqlite3';
import type { JWK } from 'jose';
import pg from 'pg';

export type Row = Record<string, unknown>;

/** A statement prepared once; `?` placeholders, bound in order. */
interface Statement {
  all(values: readonly unknown[]): Promise<Row[]>;
  /** The rows it changed. */
  run(values: readonly unknown[]): Promise<number>;
}

export interface NewChat {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly createdByUserId: string | null;
  readonly createdByAppId: string | null;
  readonly at: string;
  readonly memberIds: readonly [string, string, string];
}

interface Driver {
  readonly statement: (text: string) => Statement;
  /** Checks that the three members are users of the chat's tenant, then writes the chat and its roster, atomically. */
  readonly createGroupChat: (chat: NewChat) => Promise<boolean>;
  readonly close: () => Promise<void>;
}

// The bench's chats have three members; a roster of another size would be a statement of its own.
const chatColumns =
  'id, tenant_id, chat_type, topic, created_by_user_id, created_by_app_id, is_hidden_for_all_members, migration_mode, original_created_date_time, created_date_time, last_updated_date_time';
const memberColumns = 'chat_id, user_id, tenant_id, roles, visible_history_start_date_time, created_date_time';
const messageColumns =
  'container_id, id, container_kind, team_id, reply_to_id, message_type, from_user_id, from_display_name, from_tenant_id, from_app_id, subject, body_content_type, body_content, importance, attachments, mentions, reactions, created_date_time, last_modified_date_time, last_edited_date_time, deleted_date_time';
const allHistory = '0001-01-01T00:00:00Z';

function sqliteDriver(file: string): Driver {
  const db = new SqliteDatabase(file);
  // teamgraph's settings for the same file (src/store/dialects/sqlite.ts): the same commit costs.
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const readMembers = db.prepare('select id, tenant_id from users where id in (?, ?, ?)');
  const insertChat = db.prepare(`insert into chats (${chatColumns}) values (?, ?, 'group', ?, ?, ?, 0, null, null, ?, ?)`);
  const insertMembers = db.prepare(
    `insert into chat_members (${memberColumns}) values (?, ?, ?, '["owner"]', ?, ?), (?, ?, ?, '["owner"]', ?, ?), (?, ?, ?, '["owner"]', ?, ?)`,
  );
  const create = db.transaction((chat: NewChat): boolean => {
    const users = readMembers.all(...chat.memberIds) as { tenant_id: string }[];
    if (users.length !== 3 || users.some((user) => user.tenant_id !== chat.tenantId)) return false;
    insertChat.run(chat.id, chat.tenantId, chat.topic, chat.createdByUserId, chat.createdByAppId, chat.at, chat.at);
    insertMembers.run(...chat.memberIds.flatMap((userId) => [chat.id, userId, chat.tenantId, allHistory, chat.at]));
    return true;
  });
  return {
    statement: (text) => {
      const statement = db.prepare(text);
      if (!statement.reader) return { all: () => Promise.reject(new Error('not a read')), run: (values) => Promise.resolve(statement.run(...values).changes) };
      // Rows read as arrays and made objects by a function built once for the columns: for a page of 50
      // messages about half the cost of better-sqlite3's own row objects (what teamgraph's dialect does too).
      const names = statement.columns().map((column) => column.name);
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const toRow = new Function('values', `return { ${names.map((name, index) => `${JSON.stringify(name)}: values[${index}]`).join(', ')} };`) as (
        values: unknown[],
      ) => Row;
      const arrays = statement.raw(true);
      return { all: (values) => Promise.resolve((arrays.all(...values) as unknown[][]).map(toRow)), run: () => Promise.reject(new Error('not a write')) };
    },
    createGroupChat: (chat) => Promise.resolve(create.immediate(chat)),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

function postgresDriver(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: 10 }); // teamgraph's pool size (src/store/dialects/postgres.ts)
  pool.on('error', () => undefined);
  let named = 0;
  const statement = (text: string): Statement => {
    let number = 0;
    const query = { name: `baseline_${++named}`, text: text.replace(/\?/g, () => `$${++number}`) };
    return {
      all: async (values) => (await pool.query<Row>({ ...query, values: [...values] })).rows,
      run: async (values) => (await pool.query({ ...query, values: [...values] })).rowCount ?? 0,
    };
  };
  // One statement: it is atomic by itself, and one round trip, as teamgraph's own chat insert is.
  const insertChat = statement(
    `with checked as (select 1 from users where id in (?, ?, ?) and tenant_id = ? having count(*) = 3),
     chat as (insert into chats (${chatColumns}) select ?, ?, 'group', ?, ?, ?, 0, null, null, ?, ? from checked returning id)
     insert into chat_members (${memberColumns}) select chat.id, member.user_id, ?, '["owner"]', ?, ? from chat cross join (values (?), (?), (?)) as member (user_id)`,
  );
  return {
    statement,
    createGroupChat: async (chat) =>
      (await insertChat.run([
        ...chat.memberIds,
        chat.tenantId,
        chat.id,
        chat.tenantId,
        chat.topic,
        chat.createdByUserId,
        chat.createdByAppId,
        chat.at,
        chat.at,
        chat.tenantId,
        allHistory,
        chat.at,
        ...chat.memberIds,
      ])) === 3,
    close: () => pool.end(),
  };
}

export type BaselineStore = Awaited<ReturnType<typeof openBaselineStore>>;

export function openBaselineStore(database: string) {
  const driver = database.startsWith('postgres') ? postgresDriver(database) : sqliteDriver(database);
  const { statement } = driver;
  const q = {
    signingKeys: statement('select public_jwk from signing_keys'),
    defaultUser: statement(`select users.id, users.tenant_id from meta join users on users.id = meta.value where meta.key = 'default_user_id'`),
    enabledUser: statement('select users.account_enabled from users join tenants on tenants.id = users.tenant_id where users.id = ? and tenants.id = ?'),
    application: statement(
      'select applications.client_id from applications join tenants on tenants.id = applications.tenant_id where applications.client_id = ? and tenants.id = ?',
    ),
    user: statement(
      'select id, user_principal_name, display_name, given_name, surname, mail, job_title, office_location, preferred_language, mobile_phone, business_phones from users where id = ? and tenant_id = ?',
    ),
    team: statement(
      'select id, display_name, description, internal_id, visibility, specialization, classification, is_archived, created_date_time, settings from teams where id = ? and tenant_id = ?',
    ),
    chatWithMembers: statement(
      `select chats.id, chats.tenant_id, chats.chat_type, chats.topic, chats.created_by_user_id, chats.created_by_app_id, chats.is_hidden_for_all_members, chats.migration_mode,
        chats.original_created_date_time, chats.created_date_time, chats.last_updated_date_time, chat_members.user_id as member_user_id, chat_members.tenant_id as member_tenant_id,
        chat_members.roles as member_roles, chat_members.visible_history_start_date_time as member_visible_history_start_date_time, chat_members.created_date_time as member_created_date_time,
        users.display_name as member_display_name, users.mail as member_mail
       from chats left join chat_members on chat_members.chat_id = chats.id left join users on users.id = chat_members.user_id
       where chats.id = ? order by chat_members.created_date_time, chat_members.user_id`,
    ),
    ...channelStatements(statement),
    ...chatMessageStatements(statement),
  };
  return {
    close: () => driver.close(),
    publicKeys: async () => (await q.signingKeys.all([])).map((row) => JSON.parse(row.public_jwk as string) as JWK),
    defaultUser: async () => (await q.defaultUser.all([]))[0] as { id: string; tenant_id: string } | undefined,
    /** Whether the token's user is an enabled user of its tenant. */
    userSignsIn: async (userId: string, tenantId: string) => (await q.enabledUser.all([userId, tenantId]))[0]?.account_enabled === 1,
    /** Whether the token's app is an application of its tenant. */
    appSignsIn: async (clientId: string, tenantId: string) => (await q.application.all([clientId, tenantId])).length === 1,
    user: async (tenantId: string, userId: string) => (await q.user.all([userId, tenantId]))[0],
    team: async (tenantId: string, teamId: string) => (await q.team.all([teamId, tenantId]))[0],
    createGroupChat: (chat: NewChat) => driver.createGroupChat(chat),
    chatWithMembers: (chatId: string) => q.chatWithMembers.all([chatId]),
    channelPage: (tenantId: string, teamId: string, channelId: string, userId: string | null) =>
      userId === null
        ? q.channelPageForApp.all([channelId, channelId, teamId, tenantId])
        : q.channelPageForUser.all([channelId, channelId, userId, userId, teamId, tenantId]),
    postChannelMessage: (message: ChannelPost) => postUnderFreeId(q, message),
    chatPageModifiedAfter: (tenantId: string, chatId: string, userId: string | null, after: string) =>
      userId === null ? q.chatPageForApp.all([chatId, after, chatId, tenantId]) : q.chatPageForUser.all([chatId, after, userId, chatId]),
  };
}

type Statements = (text: string) => Statement;

/** A team's channel, readable when the team is public or the caller in it, and the channel standard or the caller in it. */
function channelStatements(statement: Statements) {
  const page = (guard: string) =>
    statement(`select ${messageColumns} from messages where container_id = ? and reply_to_id is null and exists (${guard}) order by id desc limit 51`);
  return {
    channelPageForApp: page('select 1 from teams join channels on channels.team_id = teams.id and channels.id = ? where teams.id = ? and teams.tenant_id = ?'),
    channelPageForUser: page(
      `select 1 from teams join channels on channels.team_id = teams.id and channels.id = ?
       left join group_members on group_members.group_id = teams.id and group_members.user_id = ?
       left join channel_members on channel_members.channel_id = channels.id and channel_members.user_id = ?
       where teams.id = ? and teams.tenant_id = ? and (teams.visibility = 'public' or group_members.user_id is not null)
         and (channels.membership_type = 'standard' or channel_members.user_id is not null)`,
    ),
    // A post needs the caller in the team, team and channel not archived; it stores the caller's name.
    postUnlessTaken: statement(
      `insert into messages (${messageColumns})
       select ?, ?, 'channel', teams.id, null, 'message', caller.id, caller.display_name, caller.tenant_id, null, null, ?, ?, 'normal', '[]', '[]', '[]', ?, ?, null, null
       from teams join channels on channels.team_id = teams.id and channels.id = ?
       join users as caller on caller.id = ? and caller.tenant_id = teams.tenant_id
       join group_members on group_members.group_id = teams.id and group_members.user_id = caller.id
       left join channel_members on channel_members.channel_id = channels.id and channel_members.user_id = caller.id
       where teams.id = ? and teams.tenant_id = ? and teams.is_archived = 0 and channels.is_archived = 0
         and (channels.membership_type = 'standard' or channel_members.user_id is not null)
       on conflict (container_id, id) do nothing`,
    ),
    newestIdFrom: statement('select max(cast(id as bigint)) as newest from messages where container_id = ? and id >= ?'),
  };
}

/** A chat's messages, for a member of it, or for an app of its tenant. */
function chatMessageStatements(statement: Statements) {
  const page = (guard: string) =>
    statement(
      `select ${messageColumns} from messages where container_kind = 'chat' and container_id = ? and last_modified_date_time > ? and exists (${guard})
       order by last_modified_date_time desc, id desc limit 51`,
    );
  return {
    chatPageForApp: page('select 1 from chats where chats.id = ? and chats.tenant_id = ?'),
    chatPageForUser: page('select 1 from chats join chat_members on chat_members.chat_id = chats.id and chat_members.user_id = ? where chats.id = ?'),
  };
}

export interface ChannelPost {
  readonly tenantId: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly contentType: string;
  readonly content: string;
  readonly at: string;
}

// Message ids are creation times in milliseconds, unique in their channel; posts of one millisecond take
// the next ones. The newest id this process took, per channel, so that its own posts never collide.
const newestTaken = new Map<string, number>();
const attemptsMax = 20;

/** The post under the first free id, or undefined when the guard refused it; a taken id is a miss, skipped past. */
async function postUnderFreeId(q: ReturnType<typeof channelStatements>, post: ChannelPost): Promise<string | undefined> {
  let id = Math.max(Date.parse(post.at), (newestTaken.get(post.channelId) ?? 0) + 1);
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    newestTaken.set(post.channelId, Math.max(id, newestTaken.get(post.channelId) ?? 0));
    const values = [post.channelId, String(id), post.contentType, post.content, post.at, post.at, post.channelId, post.userId, post.teamId, post.tenantId];
    if ((await q.postUnlessTaken.run(values)) === 1) return String(id);
    const [row] = await q.newestIdFrom.all([post.channelId, String(id)]);
    if (row?.newest === null || row?.newest === undefined) return undefined; // nothing took the id: the guard refused
    id = Math.max(id + 1, Number(row.newest) + 1, (newestTaken.get(post.channelId) ?? 0) + 1);
  }
  throw new Error(`no free message id in ${post.channelId}`);
}
