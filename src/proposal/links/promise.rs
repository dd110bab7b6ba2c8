//! The rewrite's promise, checked from outside the engine (by the property test and the fuzz
//! target): read with the parser alone, the rewritten document is the original but for link
//! destinations and HTML; each destination that changed pointed at a heading whose anchor
//! moved and now points at its new anchor; each link that pointed at one and did not change
//! was named. `moved` is the truth the caller knows: old anchor, new anchor, heading by heading.

use super::{Rewritten, Why};
use pulldown_cmark::{Event, Parser, Tag};

/// `Err` with what broke the promise.
pub fn check(original: &str, done: &Rewritten, moved: &[(String, String)], ids: &[String]) -> Result<(), String> {
    let moved: Vec<&(String, String)> =
        moved.iter().filter(|(old, new)| old != new && !old.is_empty() && !ids.contains(old)).collect();
    // Left and said: unclear, or written in a way the engine does not rewrite (it says so).
    let named = |fragment: &str| {
        done.left.iter().any(|l| l.anchor == fragment && matches!(l.why, Why::Unclear(_) | Why::NotLocated(_)))
    };
    let Some(rewritten) = done.text.as_deref() else {
        for (is_html, destination) in destinations_and_html(original) {
            if let Some(fragment) = destination.strip_prefix('#').filter(|_| !is_html)
                && moved.iter().any(|(old, _)| old == fragment)
                && !named(fragment)
            {
                return Err(format!("a link to #{fragment} was left silently"));
            }
        }
        return Ok(());
    };
    if events_without_destinations(original) != events_without_destinations(rewritten) {
        return Err(format!("more than destinations changed: {rewritten:?}"));
    }
    let (was, now) = (destinations_and_html(original), destinations_and_html(rewritten));
    if was.len() != now.len() {
        return Err("the number of links changed".to_owned());
    }
    for ((is_html, was), (_, now)) in was.iter().zip(&now) {
        if was == now {
            if let Some(fragment) = was.strip_prefix('#').filter(|_| !is_html)
                && moved.iter().any(|(old, _)| old == fragment)
                && !named(fragment)
            {
                return Err(format!("#{fragment} neither followed its heading nor was named: {rewritten:?}"));
            }
            continue;
        }
        let followed = moved.iter().any(|(old, new)| was.replace(&format!("#{old}"), &format!("#{new}")) == *now);
        if !followed {
            return Err(format!("{was:?} became {now:?}, which is no moved anchor"));
        }
    }
    Ok(())
}

/// The events a parser sees, with link destinations and HTML blanked: what must stay equal.
fn events_without_destinations(text: &str) -> Vec<String> {
    Parser::new_ext(text, crate::toc::headings::parser_options())
        .map(|event| match event {
            Event::Start(Tag::Link { link_type, title, id, .. }) => format!("link {link_type:?} {title} {id}"),
            Event::Start(Tag::Image { link_type, title, id, .. }) => format!("image {link_type:?} {title} {id}"),
            Event::Html(_) => "html".to_owned(),
            Event::InlineHtml(_) => "inline html".to_owned(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Every link destination and HTML piece (`true`), in order.
fn destinations_and_html(text: &str) -> Vec<(bool, String)> {
    Parser::new_ext(text, crate::toc::headings::parser_options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((false, dest_url.to_string()))
            }
            Event::Html(html) | Event::InlineHtml(html) => Some((true, html.to_string())),
            _ => None,
        })
        .collect()
}
