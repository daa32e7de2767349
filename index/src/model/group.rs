//! Groups, their discussion threads and the posts in them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{District, GroupAccess, Slug};

/// A group of members; a closed group's threads are seen only by its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: Slug,
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "beskrivning")]
    pub description: String,
    #[serde(rename = "tillgang")]
    pub access: GroupAccess,
    #[serde(rename = "skapad")]
    pub created: NaiveDate,
    #[serde(rename = "skapad_av")]
    pub created_by: Slug,
    /// Member ids (exported sorted); the creator is always among them.
    #[serde(rename = "medlemmar")]
    pub members: Vec<Slug>,
    /// The district the group works in, if one.
    #[serde(rename = "stadsdel", default, skip_serializing_if = "Option::is_none")]
    pub district: Option<District>,
    /// What the group is about, as short tags.
    #[serde(rename = "amnen", default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

impl Group {
    pub fn is_closed(&self) -> bool {
        self.access == GroupAccess::Closed
    }
}

impl Validate for Group {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("namn", &self.name, 1, limits::NAME);
        c.text("beskrivning", &self.description, 1, limits::LONG);
        c.unique("medlemmar", &self.members);
        c.text_list("amnen", &self.topics, 0, limits::SHORT);
        c.date("skapad", self.created.year());
        if self.members.len() > 10_000 {
            c.fail("medlemmar", "får ha högst 10000 medlemmar");
        }
        if !self.members.contains(&self.created_by) {
            c.fail(
                "medlemmar",
                format!("gruppens skapare \"{}\" måste vara medlem", self.created_by),
            );
        }
        c.finish()
    }
}

/// A discussion thread in a group. Its first post opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thread {
    pub id: Slug,
    #[serde(rename = "grupp")]
    pub group: Slug,
    #[serde(rename = "rubrik")]
    pub title: String,
    #[serde(rename = "inlagg")]
    pub posts: Vec<Post>,
}

impl Thread {
    /// Who opened the thread (the first post's author).
    pub fn author(&self) -> Option<&Slug> {
        self.posts.first().map(|p| &p.author)
    }

    /// When the thread was opened.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        self.posts.first().map(|p| p.created)
    }

    /// When the latest post was written.
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        self.posts.last().map(|p| p.created)
    }
}

/// The most posts one thread may hold.
pub const MAX_POSTS: usize = 2_000;

impl Validate for Thread {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("rubrik", &self.title, 1, limits::NAME);
        if self.posts.is_empty() {
            c.fail("inlagg", "en tråd måste ha minst ett inlägg");
        }
        if self.posts.len() > MAX_POSTS {
            c.fail("inlagg", format!("en tråd får ha högst {MAX_POSTS} inlägg"));
        }
        for (i, post) in self.posts.iter().enumerate() {
            c.nested(&format!("inlagg[{i}]"), post.validate());
            if i > 0 && post.created < self.posts[i - 1].created {
                c.fail(
                    format!("inlagg[{i}].skapad"),
                    "inläggen måste stå i tidsordning",
                );
            }
        }
        c.finish()
    }
}

/// One post in a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    #[serde(rename = "av")]
    pub author: Slug,
    /// Kept to the microsecond (see [`to_microseconds`]).
    #[serde(rename = "skapad", deserialize_with = "to_microseconds")]
    pub created: DateTime<Utc>,
    /// The post, in Markdown.
    pub text: String,
}

/// A moment read to the microsecond, as PostgreSQL stores it (SQLite would keep
/// nanoseconds): a post reads back the same from either database.
fn to_microseconds<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    use chrono::SubsecRound;
    Ok(DateTime::<Utc>::deserialize(deserializer)?.trunc_subsecs(6))
}

impl Validate for Post {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("text", &self.text, 1, limits::LONG);
        c.date("skapad", self.created.year());
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_time_is_kept_to_the_microsecond() {
        let post: Post = serde_json::from_str(
            r#"{"av": "anna", "skapad": "2020-01-01T10:00:00.123456789Z", "text": "Hej"}"#,
        )
        .unwrap();
        assert_eq!(post.created.timestamp_subsec_nanos(), 123_456_000);
        let again: Post = serde_json::from_str(&serde_json::to_string(&post).unwrap()).unwrap();
        assert_eq!(again, post);
    }
}
