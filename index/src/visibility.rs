//! Who may see what: one rule per kind of content, used alike by search documents, pages,
//! the JSON API, feeds and the sitemap.

use crate::document::Visibility;
use crate::model::{Group, Member, ProfileVisibility};
use crate::search::Viewer;

impl Visibility {
    /// Who may see a member's profile: everyone, or logged-in members, as they chose.
    pub fn of_profile(visibility: ProfileVisibility) -> Visibility {
        match visibility {
            ProfileVisibility::Public => Visibility::Public,
            ProfileVisibility::Members => Visibility::Members,
        }
    }

    /// Who may see a member.
    pub fn of_member(member: &Member) -> Visibility {
        Visibility::of_profile(member.visibility)
    }

    /// Who may read a group's content (threads, posts, member list): logged-in members for
    /// an open group, its own members for a closed one.
    pub fn of_group_content(group: &Group) -> Visibility {
        if group.is_closed() {
            Visibility::Group(group.id.clone())
        } else {
            Visibility::Members
        }
    }
}

impl Viewer {
    /// Whether this viewer may see something of the given visibility.
    pub fn may_see(&self, visibility: &Visibility) -> bool {
        match (self, visibility) {
            (_, Visibility::Public) => true,
            (Viewer::Anonymous, _) => false,
            (Viewer::Member { .. }, Visibility::Members) => true,
            (Viewer::Member { groups, .. }, Visibility::Group(group)) => groups.contains(group),
        }
    }

    /// Whether this viewer may see profiles shown with this choice.
    pub fn may_see_profile(&self, visibility: ProfileVisibility) -> bool {
        self.may_see(&Visibility::of_profile(visibility))
    }

    /// Whether this viewer may see a member's profile (a profile they may not see does not
    /// exist for them).
    pub fn may_see_member(&self, member: &Member) -> bool {
        self.may_see(&Visibility::of_member(member))
    }

    /// Whether this viewer may read a group's threads and member list.
    pub fn may_read_group(&self, group: &Group) -> bool {
        self.may_see(&Visibility::of_group_content(group))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GroupAccess, Slug};

    fn slug(s: &str) -> Slug {
        Slug::new(s).expect("a valid slug")
    }

    fn group(id: &str, access: GroupAccess) -> Group {
        Group {
            id: slug(id),
            name: "Grupp".into(),
            description: "Om grupp.".into(),
            access,
            created: chrono::NaiveDate::MIN,
            created_by: slug("anna"),
            members: vec![slug("anna")],
            district: None,
            topics: Vec::new(),
        }
    }

    #[test]
    fn each_viewer_sees_exactly_what_the_rules_allow() {
        let anonymous = Viewer::Anonymous;
        let outsider = Viewer::Member {
            id: slug("bo"),
            groups: vec![],
        };
        let insider = Viewer::Member {
            id: slug("anna"),
            groups: vec![slug("stangd")],
        };
        let open = group("oppen", GroupAccess::Open);
        let closed = group("stangd", GroupAccess::Closed);

        for viewer in [&anonymous, &outsider, &insider] {
            assert!(viewer.may_see_profile(ProfileVisibility::Public));
        }
        assert!(!anonymous.may_see_profile(ProfileVisibility::Members));
        assert!(outsider.may_see_profile(ProfileVisibility::Members));

        assert!(!anonymous.may_read_group(&open));
        assert!(outsider.may_read_group(&open));
        assert!(!anonymous.may_read_group(&closed));
        assert!(!outsider.may_read_group(&closed));
        assert!(insider.may_read_group(&closed));
    }

    #[test]
    fn the_rule_and_the_search_terms_agree() {
        let viewers = [
            Viewer::Anonymous,
            Viewer::Member {
                id: slug("anna"),
                groups: vec![slug("g1")],
            },
        ];
        let visibilities = [
            Visibility::Public,
            Visibility::Members,
            Visibility::Group(slug("g1")),
            Visibility::Group(slug("g2")),
        ];
        for viewer in &viewers {
            let terms = viewer.visibility_terms();
            for visibility in &visibilities {
                assert_eq!(
                    viewer.may_see(visibility),
                    terms.contains(&visibility.term()),
                    "{viewer:?} {visibility:?}"
                );
            }
        }
    }
}
