//! In-app notifications of members: made when something happens that concerns them,
//! listed newest first, counted while unread. One about a closed group is shown only while
//! the member still belongs to that group.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// What a notification is about (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A reply in a thread the member takes part in.
    Reply,
    /// A new thread in one of the member's groups.
    NewThread,
    /// The member was mentioned (`@id`) in a post.
    Mention,
    /// Someone asks to join a group the member administers.
    JoinRequest,
    /// The member's own request to join was answered.
    JoinAnswered,
    /// The member's proposal (a pivi entry, a change of a text) was accepted or declined.
    ProposalAnswered,
}

impl Kind {
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Reply => "svar",
            Kind::NewThread => "ny_trad",
            Kind::Mention => "omnamnande",
            Kind::JoinRequest => "ansokan",
            Kind::JoinAnswered => "ansokan_besvarad",
            Kind::ProposalAnswered => "forslag_besvarat",
        }
    }

    fn from_slug(slug: &str) -> sqlx::Result<Kind> {
        Ok(match slug {
            "svar" => Kind::Reply,
            "ny_trad" => Kind::NewThread,
            "omnamnande" => Kind::Mention,
            "ansokan" => Kind::JoinRequest,
            "ansokan_besvarad" => Kind::JoinAnswered,
            "forslag_besvarat" => Kind::ProposalAnswered,
            other => {
                return Err(sqlx::Error::Decode(
                    format!("okänd sorts notis i databasen: {other}").into(),
                ));
            }
        })
    }

    /// How the kind is named on the notifications page.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Reply => "Svar",
            Kind::NewThread => "Ny tråd",
            Kind::Mention => "Omnämnande",
            Kind::JoinRequest => "Ansökan",
            Kind::JoinAnswered => "Ansökan besvarad",
            Kind::ProposalAnswered => "Förslag besvarat",
        }
    }
}

/// One notification as its member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub text: String,
    /// A site path.
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// A new notification for `member_id`.
pub struct New<'a> {
    pub member_id: &'a str,
    pub kind: Kind,
    pub text: &'a str,
    pub link: &'a str,
    /// The group it is about, if any (then it is shown only to the group's members).
    pub group_id: Option<&'a str>,
    pub now: i64,
}

/// The longest text a notification keeps (a thread title, a name and a few words).
pub const MAX_TEXT_CHARS: usize = 300;

pub async fn create(conn: &mut impl AsConn, new: &New<'_>) -> sqlx::Result<()> {
    let text: String = new.text.chars().take(MAX_TEXT_CHARS).collect();
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO notifications (member_id, kind, text, link, group_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new.member_id)
        .bind(new.kind.slug())
        .bind(&text)
        .bind(new.link)
        .bind(new.group_id)
        .bind(new.now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

// A notification the member has not read yet is not made again (the same text, kind and
// member): repeated mentions, replies or requests cannot flood anyone.

/// The condition under which notification `n` may be shown to its member `n.member_id`:
/// about no group, an open group, or a closed group they still belong to.
const VISIBLE: &str = "(n.group_id IS NULL OR EXISTS (SELECT 1 FROM groups g WHERE g.id = n.group_id \
     AND (g.access = 'oppen' OR EXISTS (SELECT 1 FROM group_members gm \
          WHERE gm.group_id = g.id AND gm.member_id = n.member_id))))";

/// The SQL expression counting `member_column`'s unread notifications it may see (for the
/// session query, which reads it with every page view).
pub fn unread_count_sql(member_column: &str) -> String {
    format!(
        "(SELECT count(*) FROM notifications n WHERE n.member_id = {member_column} \
         AND n.read_at IS NULL AND {VISIBLE})"
    )
}

/// The member's notifications they may see, newest first, at most `limit`.
pub async fn list(
    conn: &mut impl AsConn,
    member_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<Notification>> {
    let sql = format!(
        "SELECT n.id, n.kind, n.text, n.link, n.created_at, n.read_at FROM notifications n \
         WHERE n.member_id = $1 AND {VISIBLE} ORDER BY n.created_at DESC, n.id DESC LIMIT $2"
    );
    on_db!(conn, |c| {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(member_id)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Notification {
                    id: row.int("id")?,
                    kind: Kind::from_slug(&row.text("kind")?)?,
                    text: row.text("text")?,
                    link: row.text("link")?,
                    created_at: row.int("created_at")?,
                    read: row.optional_int("read_at")?.is_some(),
                })
            })
            .collect()
    })
}

/// Marks one of the member's notifications read; false when they have none with that id.
pub async fn mark_read(
    conn: &mut impl AsConn,
    member_id: &str,
    id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $1) \
             WHERE id = $2 AND member_id = $3",
        )
        .bind(now)
        .bind(id)
        .bind(member_id)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Marks all of the member's notifications read.
pub async fn mark_all_read(conn: &mut impl AsConn, member_id: &str, now: i64) -> sqlx::Result<u64> {
    on_db!(conn, |c| {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE member_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(member_id)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected())
    })
}

/// How many of the member's notifications are unread (that they may still see).
pub async fn unread_count(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<i64> {
    let sql = format!("SELECT {} AS unread", unread_count_sql("$1"));
    on_db!(conn, |c| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(member_id)
            .fetch_one(&mut *c)
            .await
    })
}

/// The group a thread is in and whether that group is closed (`None`: no such thread).
pub async fn thread_group(
    conn: &mut impl AsConn,
    thread_id: &str,
) -> sqlx::Result<Option<(String, bool)>> {
    let found: Option<(String, String)> = on_db!(conn, |c| {
        sqlx::query_as(
            "SELECT g.id, g.access FROM threads t JOIN groups g ON g.id = t.group_id \
             WHERE t.id = $1",
        )
        .bind(thread_id)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.map(|(group, access)| (group, access == "stangd")))
}

/// What happened in a discussion, for the notifications it makes.
pub struct DiscussionEvent<'a> {
    pub group_id: &'a str,
    pub group_name: &'a str,
    pub thread_id: &'a str,
    pub thread_title: &'a str,
    /// Who wrote (notified of nothing they did themselves).
    pub author_id: &'a str,
    pub author_name: &'a str,
    /// Where the post is (a site path).
    pub link: &'a str,
    pub now: i64,
}

/// A new thread: every other member of the group is told.
pub async fn new_thread(conn: &mut impl AsConn, event: &DiscussionEvent<'_>) -> sqlx::Result<()> {
    let text = format!(
        "{} startade tråden ”{}” i {}",
        event.author_name, event.thread_title, event.group_name
    );
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO notifications (member_id, kind, text, link, group_id, created_at) \
             SELECT gm.member_id, 'ny_trad', $1, $2, $3, $4 FROM group_members gm \
             WHERE gm.group_id = $3 AND gm.member_id <> $5 AND NOT EXISTS (SELECT 1 \
               FROM notifications x WHERE x.member_id = gm.member_id AND x.read_at IS NULL \
               AND x.kind = 'ny_trad' AND x.text = $1)",
        )
        .bind(&text)
        .bind(event.link)
        .bind(event.group_id)
        .bind(event.now)
        .bind(event.author_id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// A reply: everyone else who has written in the thread and is still in the group is told.
pub async fn reply(conn: &mut impl AsConn, event: &DiscussionEvent<'_>) -> sqlx::Result<()> {
    let text = format!("{} svarade i ”{}”", event.author_name, event.thread_title);
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO notifications (member_id, kind, text, link, group_id, created_at) \
             SELECT DISTINCT p.author_id, 'svar', $1, $2, $3, $4 FROM posts p \
             JOIN group_members gm ON gm.group_id = $3 AND gm.member_id = p.author_id \
             WHERE p.thread_id = $5 AND p.author_id <> $6 AND NOT EXISTS (SELECT 1 \
               FROM notifications x WHERE x.member_id = p.author_id AND x.read_at IS NULL \
               AND x.kind = 'svar' AND x.text = $1)",
        )
        .bind(&text)
        .bind(event.link)
        .bind(event.group_id)
        .bind(event.now)
        .bind(event.thread_id)
        .bind(event.author_id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Mentions (`@id`) in a post: each mentioned member who may read the thread (any member
/// for an open group, the group's members for a closed one) is told, once.
pub async fn mentions(
    conn: &mut impl AsConn,
    event: &DiscussionEvent<'_>,
    mentioned: &[String],
) -> sqlx::Result<()> {
    let text = format!(
        "{} nämnde dig i ”{}”",
        event.author_name, event.thread_title
    );
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let mut seen = std::collections::HashSet::new();
    for member in mentioned {
        if member == event.author_id || !seen.insert(member.as_str()) {
            continue;
        }
        on_db!(conn, |c| {
            sqlx::query(
                "INSERT INTO notifications (member_id, kind, text, link, group_id, created_at) \
                 SELECT m.id, 'omnamnande', $1, $2, g.id, $3 FROM members m \
                 JOIN groups g ON g.id = $4 \
                 WHERE m.id = $5 AND (g.access = 'oppen' OR EXISTS (SELECT 1 FROM group_members gm \
                   WHERE gm.group_id = g.id AND gm.member_id = m.id)) AND NOT EXISTS (SELECT 1 \
                   FROM notifications x WHERE x.member_id = m.id AND x.read_at IS NULL \
                   AND x.kind = 'omnamnande' AND x.text = $1)",
            )
            .bind(&text)
            .bind(event.link)
            .bind(event.now)
            .bind(event.group_id)
            .bind(member)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}

/// A request to join a closed group: its owner and moderators are told.
pub async fn join_request(
    conn: &mut impl AsConn,
    group_id: &str,
    group_name: &str,
    requester_name: &str,
    now: i64,
) -> sqlx::Result<()> {
    let text = format!("{requester_name} ansöker om medlemskap i {group_name}");
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let link = format!("/grupper/{group_id}");
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO notifications (member_id, kind, text, link, group_id, created_at) \
             SELECT gm.member_id, 'ansokan', $1, $2, $3, $4 FROM group_members gm \
             WHERE gm.group_id = $3 AND gm.role IN ('agare', 'moderator') AND NOT EXISTS (SELECT 1 \
               FROM notifications x WHERE x.member_id = gm.member_id AND x.read_at IS NULL \
               AND x.kind = 'ansokan' AND x.text = $1)",
        )
        .bind(&text)
        .bind(&link)
        .bind(group_id)
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The answer to a request, to the member who asked. It names no group content (a closed
/// group's name is public), so it stays visible whatever the answer.
pub async fn join_answered(
    conn: &mut impl AsConn,
    group_id: &str,
    group_name: &str,
    member_id: &str,
    approved: bool,
    now: i64,
) -> sqlx::Result<()> {
    let text = if approved {
        format!("Din ansökan till {group_name} är godkänd – välkommen!")
    } else {
        format!("Din ansökan till {group_name} avslogs")
    };
    let link = format!("/grupper/{group_id}");
    create(
        conn,
        &New {
            member_id,
            kind: Kind::JoinAnswered,
            text: &text,
            link: &link,
            group_id: None,
            now,
        },
    )
    .await
}

/// The member's unread notifications they may see, written after `since`, newest first.
pub async fn unread_since(
    conn: &mut impl AsConn,
    member_id: &str,
    since: i64,
    limit: i64,
) -> sqlx::Result<Vec<Notification>> {
    let all = list(conn, member_id, limit.saturating_mul(4)).await?;
    Ok(all
        .into_iter()
        .filter(|n| !n.read && n.created_at > since)
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect())
}
