//! The network's groups: the group list.

use maud::{Markup, html};

use crate::Page;
use crate::components::{SearchView, search_area};

pub fn groups(page: &Page, view: &SearchView, logged_in: bool) -> Markup {
    page.render(html! {
        h1 { "Grupper" }
        p.lead {
            "I grupperna samlas medlemmar kring en fråga, ett område eller ett projekt och "
            "diskuterar, delar material och planerar tillsammans."
        }
        @if !logged_in {
            p.tom {
                "Grupperna och deras diskussioner är öppna för inloggade medlemmar; slutna "
                "grupper bara för sina egna medlemmar. Därför visas inga grupper här när du "
                "inte är inloggad."
            }
        } @else {
            (search_area(view))
        }
    })
}
