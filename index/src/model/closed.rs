//! Closed value lists (sector, district, model kind, …): Swedish labels and stable URL slugs.

use std::fmt;

/// A slug that is not one of a closed list's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("okänt värde \"{value}\" för {list}; tillåtna värden: {allowed}")]
pub struct UnknownValue {
    /// The list's Swedish name, e.g. `stadsdel`.
    pub list: &'static str,
    pub value: String,
    /// The allowed slugs, comma separated.
    pub allowed: String,
}

/// Defines a closed enum whose variants each have a stable slug and a Swedish label, with
/// serde (as the slug), `Display` (the label) and `FromStr` (from the slug).
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $list:literal {
            $( $(#[$vmeta:meta])* $variant:ident => ($slug:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];
            /// The list's Swedish name, as used in URLs and the import format.
            pub const LIST: &'static str = $list;

            /// The stable URL and import slug.
            pub fn slug(self) -> &'static str {
                match self { $( $name::$variant => $slug ),+ }
            }

            /// The Swedish label shown to people.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }

            /// Parses a slug, naming the allowed values when it is unknown.
            pub fn from_slug(slug: &str) -> Result<Self, UnknownValue> {
                match slug {
                    $( $slug => Ok($name::$variant), )+
                    _ => Err(UnknownValue {
                        list: $list,
                        value: slug.chars().take(60).collect(),
                        allowed: [$( $slug ),+].join(", "),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_slug(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.slug())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let slug = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_slug(&slug).map_err(serde::de::Error::custom)
            }
        }
    };
}

closed_enum! {
    /// Where a member works.
    Sector, "sektor" {
        Municipality => ("kommun", "Göteborgs Stad"),
        OtherPublic => ("offentlig", "Annan offentlig verksamhet"),
        Academia => ("akademi", "Akademi och forskning"),
        Business => ("naringsliv", "Näringsliv"),
        CivilSociety => ("civilsamhalle", "Civilsamhälle och föreningar"),
        Student => ("studerande", "Studerande"),
        Other => ("annan", "Annan sektor"),
    }
}

closed_enum! {
    /// Gothenburg's ten former districts (stadsdelar), plus the whole city.
    District, "stadsdel" {
        Angered => ("angered", "Angered"),
        OstraGoteborg => ("ostra-goteborg", "Östra Göteborg"),
        OrgryteHarlanda => ("orgryte-harlanda", "Örgryte-Härlanda"),
        Centrum => ("centrum", "Centrum"),
        MajornaLinne => ("majorna-linne", "Majorna-Linné"),
        AskimFrolundaHogsbo => ("askim-frolunda-hogsbo", "Askim-Frölunda-Högsbo"),
        VastraGoteborg => ("vastra-goteborg", "Västra Göteborg"),
        VastraHisingen => ("vastra-hisingen", "Västra Hisingen"),
        Lundby => ("lundby", "Lundby"),
        NorraHisingen => ("norra-hisingen", "Norra Hisingen"),
        WholeCity => ("hela-staden", "Hela staden"),
    }
}

closed_enum! {
    /// The three kinds of support model.
    ModelKind, "typ" {
        Matrix => ("matris", "Kunskapsmatris"),
        Catalogue => ("katalog", "Katalog"),
        Guide => ("fasguide", "Fasguide"),
    }
}

closed_enum! {
    /// What kind of text a dialogue-tool entry is.
    DialogueKind, "texttyp" {
        Text => ("text", "Text"),
        Checklist => ("checklista", "Checklista"),
        Experience => ("erfarenhet", "Erfarenhet"),
    }
}

closed_enum! {
    /// Whom a pivi entry is for.
    TargetGroup, "målgrupp" {
        Children => ("barn", "Barn"),
        Youth => ("unga", "Unga"),
        Families => ("familjer", "Familjer"),
        Elderly => ("aldre", "Äldre"),
        Newcomers => ("nyanlanda", "Nyanlända"),
        Disability => ("funktionsnedsattning", "Personer med funktionsnedsättning"),
        JobSeekers => ("arbetssokande", "Arbetssökande"),
        Residents => ("boende", "Boende"),
        Associations => ("foreningar", "Föreningar"),
        Professionals => ("yrkesverksamma", "Yrkesverksamma"),
    }
}

closed_enum! {
    /// Who may see a member's profile.
    #[derive(Default)]
    ProfileVisibility, "synlighet" {
        #[default]
        Public => ("publik", "Alla besökare"),
        Members => ("medlemmar", "Endast inloggade medlemmar"),
    }
}

closed_enum! {
    /// Whether any member may join and read a group, or only its members.
    GroupAccess, "tillgang" {
        Open => ("oppen", "Öppen grupp"),
        Closed => ("stangd", "Stängd grupp"),
    }
}

closed_enum! {
    /// The kinds of content entity, as named in the import format and the index outbox.
    ContentKind, "typ" {
        Member => ("medlem", "Medlem"),
        Group => ("grupp", "Grupp"),
        Thread => ("trad", "Diskussion"),
        Pivi => ("pivi", "pivi"),
        Matrix => ("matris", "Kunskapsmatris"),
        Article => ("artikel", "Artikel"),
        Dialogue => ("dialog", "Dialogverktyget"),
        Model => ("stodmodell", "Stödmodell"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for d in District::ALL {
            assert_eq!(District::from_slug(d.slug()), Ok(*d));
            assert!(seen.insert(d.slug()));
        }
        assert_eq!(District::ALL.len(), 11);
        for k in ModelKind::ALL {
            assert_eq!(k.slug().parse::<ModelKind>(), Ok(*k));
        }
    }

    #[test]
    fn unknown_value_names_the_list_and_allowed_values() {
        let err = Sector::from_slug("kyrkan").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"kyrkan\""), "{message}");
        assert!(message.contains("sektor"), "{message}");
        assert!(message.contains("civilsamhalle"), "{message}");
    }

    #[test]
    fn serde_uses_slugs_and_rejects_unknown_values() {
        assert_eq!(
            serde_json::to_string(&ModelKind::Guide).unwrap(),
            "\"fasguide\""
        );
        let parsed: TargetGroup = serde_json::from_str("\"nyanlanda\"").unwrap();
        assert_eq!(parsed, TargetGroup::Newcomers);
        let err = serde_json::from_str::<TargetGroup>("\"alla\"").unwrap_err();
        assert!(err.to_string().contains("målgrupp"), "{err}");
    }

    #[test]
    fn labels_are_swedish() {
        assert_eq!(District::OrgryteHarlanda.label(), "Örgryte-Härlanda");
        assert_eq!(ModelKind::Matrix.to_string(), "Kunskapsmatris");
    }
}
