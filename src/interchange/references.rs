//! Checks that records refer to things that exist, in the file or in the database.

use std::collections::{HashMap, HashSet};

use crate::db::AsConn;
use hallbar_index::{ContentKind, Group, Matrix, ModelKind, Slug, SupportModel};

use super::{LineError, ParsedLine, Record};
use crate::db;

/// What the database already holds that records may refer to, loaded on demand.
struct Stored {
    members: HashSet<String>,
    groups: HashMap<String, Option<Group>>,
    matrices: HashMap<String, Option<Matrix>>,
    models: Vec<SupportModel>,
}

impl Stored {
    async fn group(&mut self, conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<&Group>> {
        if !self.groups.contains_key(id) {
            let group = db::groups::get(conn, id).await?;
            self.groups.insert(id.to_string(), group);
        }
        Ok(self.groups.get(id).and_then(Option::as_ref))
    }

    async fn matrix(&mut self, conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<&Matrix>> {
        if !self.matrices.contains_key(id) {
            let matrix = db::matrix::get(conn, id).await?;
            self.matrices.insert(id.to_string(), matrix);
        }
        Ok(self.matrices.get(id).and_then(Option::as_ref))
    }
}

/// Returns an error for every line whose references do not resolve. Lines are checked again
/// until nothing changes, so a record that refers to a rejected record is rejected too.
pub async fn check(conn: &mut impl AsConn, lines: &[ParsedLine]) -> sqlx::Result<Vec<LineError>> {
    let members: HashSet<String> = db::members::all_ids(conn).await?.into_iter().collect();
    let mut stored = Stored {
        members,
        groups: HashMap::new(),
        matrices: HashMap::new(),
        models: db::support_models::list(conn).await?,
    };
    let mut rejected: HashMap<usize, String> = duplicates(lines);
    loop {
        let before = rejected.len();
        let in_file = InFile::new(lines, &rejected);
        for (index, line) in lines.iter().enumerate() {
            if rejected.contains_key(&index) {
                continue;
            }
            let problems = check_record(conn, &mut stored, &in_file, &line.record).await?;
            if !problems.is_empty() {
                let record = &line.record;
                let message = format!(
                    "{} \"{}\": {}",
                    record.kind().slug(),
                    record.id(),
                    problems.join("; ")
                );
                rejected.insert(index, message);
            }
        }
        if rejected.len() == before {
            break;
        }
    }
    let mut errors: Vec<LineError> = rejected
        .into_iter()
        .map(|(index, message)| LineError {
            line: lines[index].line,
            message,
        })
        .collect();
    errors.sort_by_key(|e| e.line);
    Ok(errors)
}

/// The same kind and id twice in one file: every repeat is rejected.
fn duplicates(lines: &[ParsedLine]) -> HashMap<usize, String> {
    let mut first_seen: HashMap<(ContentKind, &str), usize> = HashMap::new();
    let mut rejected = HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        let key = (line.record.kind(), line.record.id().as_str());
        if let Some(first) = first_seen.get(&key) {
            rejected.insert(
                index,
                format!(
                    "{} \"{}\" finns redan på rad {}",
                    key.0.slug(),
                    key.1,
                    lines[*first].line
                ),
            );
        } else {
            first_seen.insert(key, index);
        }
    }
    rejected
}

/// The records of the file that are still accepted, by id.
struct InFile<'a> {
    members: HashSet<&'a str>,
    threads: HashSet<&'a str>,
    groups: HashMap<&'a str, &'a Group>,
    matrices: HashMap<&'a str, &'a Matrix>,
    articles: HashSet<&'a str>,
    models: HashMap<&'a str, &'a SupportModel>,
    entries: HashSet<&'a str>,
    texts: HashSet<&'a str>,
}

impl<'a> InFile<'a> {
    fn new(lines: &'a [ParsedLine], rejected: &HashMap<usize, String>) -> Self {
        let mut in_file = InFile {
            members: HashSet::new(),
            threads: HashSet::new(),
            groups: HashMap::new(),
            matrices: HashMap::new(),
            articles: HashSet::new(),
            models: HashMap::new(),
            entries: HashSet::new(),
            texts: HashSet::new(),
        };
        for (index, line) in lines.iter().enumerate() {
            if rejected.contains_key(&index) {
                continue;
            }
            match &line.record {
                Record::Model(m) => {
                    in_file.models.insert(m.id.as_str(), m);
                }
                Record::Member(m) => {
                    in_file.members.insert(m.id.as_str());
                }
                Record::Group(g) => {
                    in_file.groups.insert(g.id.as_str(), g);
                }
                Record::Matrix(m) => {
                    in_file.matrices.insert(m.id.as_str(), m);
                }
                Record::Article(a) => {
                    in_file.articles.insert(a.id.as_str());
                }
                Record::Thread(t) => {
                    in_file.threads.insert(t.id.as_str());
                }
                Record::Pivi(p) => {
                    in_file.entries.insert(p.id.as_str());
                }
                Record::Dialogue(d) => {
                    in_file.texts.insert(d.id.as_str());
                }
            }
        }
        in_file
    }
}

async fn check_record(
    conn: &mut impl AsConn,
    stored: &mut Stored,
    in_file: &InFile<'_>,
    record: &Record,
) -> sqlx::Result<Vec<String>> {
    let member_exists =
        |id: &Slug| in_file.members.contains(id.as_str()) || stored.members.contains(id.as_str());
    let mut problems = Vec::new();
    match record {
        Record::Group(group) => {
            if !member_exists(&group.created_by) {
                problems.push(format!(
                    "skapad_av: medlemmen \"{}\" finns inte",
                    group.created_by
                ));
            }
            for (i, member) in group.members.iter().enumerate() {
                if !member_exists(member) {
                    problems.push(format!("medlemmar[{i}]: medlemmen \"{member}\" finns inte"));
                }
            }
            // Stored threads (not re-imported here) must keep all their authors as members.
            for (author, thread) in db::threads::authors_in_group(conn, group.id.as_str()).await? {
                if !in_file.threads.contains(thread.as_str())
                    && !group.members.iter().any(|m| m.as_str() == author)
                {
                    problems.push(format!(
                        "medlemmar: \"{author}\" saknas men har skrivit i gruppens tråd \"{thread}\""
                    ));
                }
            }
        }
        Record::Thread(thread) => {
            let group_members: Option<Vec<Slug>> = match in_file.groups.get(thread.group.as_str()) {
                Some(group) => Some(group.members.clone()),
                None => stored
                    .group(conn, thread.group.as_str())
                    .await?
                    .map(|g| g.members.clone()),
            };
            match group_members {
                None => problems.push(format!("grupp: gruppen \"{}\" finns inte", thread.group)),
                Some(group_members) => {
                    for (i, post) in thread.posts.iter().enumerate() {
                        if !group_members.contains(&post.author) {
                            problems.push(format!(
                                "inlagg[{i}].av: \"{}\" är inte medlem i gruppen \"{}\"",
                                post.author, thread.group
                            ));
                        }
                    }
                }
            }
        }
        Record::Model(model) => {
            if let Some(old) = stored.models.iter().find(|m| m.id == model.id)
                && old.kind != model.kind
            {
                problems.push(format!(
                    "typ: stödmodellen \"{}\" är redan en {}; typen kan inte ändras",
                    model.id,
                    old.kind.slug()
                ));
            }
            // Stored items (not re-imported here) must keep their category or phase.
            for (item, value) in db::support_models::structure_in_use(conn, model).await? {
                let (field, kept) = match model.kind {
                    ModelKind::Catalogue if !in_file.entries.contains(item.as_str()) => {
                        ("kategorier", model.category(&value).is_some())
                    }
                    ModelKind::Guide if !in_file.texts.contains(item.as_str()) => {
                        ("faser", model.phase(&value).is_some())
                    }
                    _ => continue,
                };
                if !kept {
                    problems.push(format!(
                        "{field}: \"{value}\" saknas men \"{item}\" hör dit"
                    ));
                }
            }
        }
        Record::Pivi(entry) => {
            if let Some(member) = &entry.contact.member
                && !member_exists(member)
            {
                problems.push(format!("kontakt.medlem: medlemmen \"{member}\" finns inte"));
            }
            problems.extend(
                hallbar_index::check_entry(&models_of(in_file, stored), entry)
                    .iter()
                    .map(ToString::to_string),
            );
        }
        Record::Dialogue(text) => {
            problems.extend(
                hallbar_index::check_text(&models_of(in_file, stored), text)
                    .iter()
                    .map(ToString::to_string),
            );
        }
        Record::Article(article) => {
            let matrix = match in_file.matrices.get(article.matrix.as_str()) {
                Some(matrix) => Some(*matrix),
                None => stored.matrix(conn, article.matrix.as_str()).await?,
            };
            match matrix {
                None => problems.push(format!(
                    "matris: matrisen \"{}\" finns inte",
                    article.matrix
                )),
                Some(matrix) => {
                    for (i, cell) in article.cells.iter().enumerate() {
                        if !matrix.has_cell(cell) {
                            problems.push(format!(
                                "celler[{i}]: cellen {cell} finns inte i matrisen \"{}\"",
                                matrix.id
                            ));
                        }
                    }
                }
            }
        }
        Record::Matrix(matrix) => {
            // Cells that stored articles (not re-imported here) still link to must stay.
            for (article, row, column) in
                db::articles::cell_links_in_matrix(conn, matrix.id.as_str()).await?
            {
                if !in_file.articles.contains(article.as_str())
                    && matrix.cell(&row, &column).is_none()
                {
                    problems.push(format!(
                        "celler: cellen {row}/{column} saknas men artikeln \"{article}\" länkar till den"
                    ));
                }
            }
        }
        Record::Member(_) => {}
    }
    Ok(problems)
}

/// The models as the file (first) and the database have them.
fn models_of(in_file: &InFile<'_>, stored: &Stored) -> Vec<SupportModel> {
    let mut models: Vec<SupportModel> = in_file.models.values().map(|m| (*m).clone()).collect();
    models.extend(
        stored
            .models
            .iter()
            .filter(|m| !in_file.models.contains_key(m.id.as_str()))
            .cloned(),
    );
    models
}
