//! The start page: what hallbar is, the support models, what is new, and a search box; for
//! a logged-in member also colleagues to meet and a nudge to complete a thin profile.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::matching::MatchOptions;
use hallbar_index::search::Viewer;
use hallbar_templates::pages::home::{ForYou, GroupActivity, ModelCard};
use maud::Markup;

use super::members::visible_member;
use super::view::page;
use super::{AppError, AppState, MaybeUser};
use crate::db;

/// How many of the newest pivi entries and articles the start page lists.
const NEWEST: i64 = 5;
/// How many colleagues the start page suggests to a logged-in member.
const FOR_YOU: usize = 4;
/// How many posts of the member's groups the start page lists.
const ACTIVITY: i64 = 8;
/// How many of the best matches are looked through for new members.
const MATCHES_LOOKED_AT: usize = 40;
/// How recent a "new member" is, in days.
const NEW_MEMBER_DAYS: i64 = 60;
/// How many new members with similar competences the start page names.
const NEW_MEMBERS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>, user: MaybeUser) -> Result<Markup, AppError> {
    // A member without a profile (yet) sees the start page as a visitor does.
    let me = match &user.0 {
        Some(me) => match visible_member(&state.db, me.member.as_str(), &me.viewer()).await {
            Ok(member) => Some((member, me.viewer())),
            Err(AppError::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let personal = match me {
        Some((member, viewer)) => {
            let options = MatchOptions {
                limit: MATCHES_LOOKED_AT,
                ..MatchOptions::default()
            };
            let competences = member.competences.len();
            let mut conn = state.db.acquire().await?;
            let posts =
                db::activity::in_members_groups(&mut conn, member.id.as_str(), ACTIVITY).await?;
            drop(conn);
            let activity: Vec<GroupActivity> = posts
                .into_iter()
                .map(|p| GroupActivity {
                    author: p.author_name,
                    opened_thread: p.opened_thread,
                    thread_path: format!("/grupper/{}/{}", p.group_id, p.thread_id),
                    thread_title: p.thread_title,
                    group_path: format!("/grupper/{}", p.group_id),
                    group_name: p.group_name,
                    when: p.created.format("%Y-%m-%d %H:%M").to_string(),
                })
                .collect();
            let mut colleagues = state.search.colleagues(member, viewer, options).await?;
            // New members among the matches (they have not been suggested for long).
            let since = chrono::Utc::now().date_naive() - chrono::Duration::days(NEW_MEMBER_DAYS);
            let ids: Vec<&str> = colleagues.iter().map(|c| c.id.as_str()).collect();
            let mut conn = state.db.acquire().await?;
            let recent = db::members::joined_since(&mut conn, &ids, since).await?;
            drop(conn);
            let newcomers: Vec<_> = colleagues
                .iter()
                .filter(|c| recent.contains(&c.id))
                .take(NEW_MEMBERS)
                .cloned()
                .collect();
            colleagues.truncate(FOR_YOU);
            Some((colleagues, competences, activity, newcomers))
        }
        None => None,
    };
    let mut conn = state.db.acquire().await?;
    let counts = db::stats::counts(&mut conn).await?;
    // The page shows what anyone may find: public profiles, and no group numbers.
    let public_members = db::stats::visible_members(&mut conn, &Viewer::Anonymous).await?;
    let newest_pivi = db::pivi::newest_in(&mut conn, "pivi", NEWEST).await?;
    let newest_articles = db::articles::list(&mut conn, true, NEWEST).await?;
    let models = db::support_models::list(&mut conn).await?;
    let items = db::support_models::item_counts(&mut conn).await?;
    let cards: Vec<ModelCard> = models
        .iter()
        .map(|model| ModelCard {
            model,
            items: items
                .iter()
                .filter(|(id, _)| {
                    *id == model.id.as_str()
                        || (model.kind == hallbar_index::ModelKind::Matrix
                            && hallbar_index::model_of_matrix(&models, id)
                                .is_some_and(|m| m.id == model.id))
                })
                .map(|(_, n)| n)
                .sum(),
        })
        .collect();
    let meta = page(
        &state.config,
        "/",
        "Socialt hållbar utveckling i Göteborg",
        "Mötesplats och kunskapsbank för alla som arbetar med socialt hållbar utveckling i \
         Göteborg: hitta kollegor efter kompetens, projekt, kunskap och verktyg för dialog.",
    );
    Ok(hallbar_templates::pages::home::home(
        &meta,
        personal
            .as_ref()
            .map(|(colleagues, competences, activity, newcomers)| ForYou {
                colleagues,
                competences: *competences,
                activity,
                newcomers,
            })
            .as_ref(),
        &counts,
        public_members,
        &cards,
        &newest_pivi,
        &newest_articles,
    ))
}
