//! A small XML tree that keeps the byte span of every element, text value and comment.
//!
//! Metadata is parsed generically (never by regex, never by serde) so that every finding
//! can point at the exact element. quick-xml stays inside this module.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

mod span;
pub use span::Span;

/// Deeper nesting than this is never metadata; refusing it keeps every later walk of
/// the tree (and its drop) far from the stack limit.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone)]
pub struct Element {
    /// Local name: any namespace prefix is removed.
    pub name: String,
    /// From the `<` of the start tag to the `>` of the end tag.
    pub span: Span,
    /// The name in the start tag: where labels about this element point.
    pub name_span: Span,
    /// `xsi:nil="true"`: the element stands for an absent value.
    pub nil: bool,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(Text),
    Comment(Text),
}

/// Decoded character data and where it sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub root: Element,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

impl Element {
    /// Child elements, skipping `xsi:nil` ones (they mean "absent").
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Element(e) if !e.nil => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The element's own text, trimmed, with the span of the trimmed part. `None` when
    /// the element has no non-blank text.
    pub fn text(&self) -> Option<Text> {
        let mut value = String::new();
        let mut span: Option<Span> = None;
        for node in &self.nodes {
            if let Node::Text(t) = node {
                value.push_str(&t.value);
                span = Some(span.map_or(t.span, |s| s.to(t.span)));
            }
        }
        let span = span?;
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        // Narrow the span by the whitespace trimmed off; whitespace is never an entity, so
        // its byte length in the source equals its decoded length.
        let lead = value.len() - value.trim_start().len();
        let trail = value.len() - value.trim_end().len();
        let narrowed = Span::new(span.start + lead, span.end.saturating_sub(trail).max(span.start + lead));
        Some(Text { value: trimmed.to_string(), span: narrowed })
    }

    /// Comments directly inside this element, with the element that follows each.
    pub fn comments(&self) -> impl Iterator<Item = &Text> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Comment(c) => Some(c),
            _ => None,
        })
    }
}

/// Parses `source` into a tree. A byte-order mark is skipped (spans stay offsets into
/// `source`).
pub fn parse(source: &str) -> Result<Document, XmlError> {
    let bom = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &source[bom..];
    let mut reader = Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let at = |start: usize, end: usize| Span::new(bom + start, bom + end);

    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| XmlError {
            message: describe(&e),
            span: {
                let p = reader.error_position() as usize;
                at(p, (p + 1).min(body.len()).max(p))
            },
        })?;
        let end = reader.buffer_position() as usize;
        let span = at(start, end);
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                if root.is_some() && stack.is_empty() {
                    return Err(XmlError {
                        message: "content after the root element".into(),
                        span,
                    });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        message: format!("elements nested deeper than {MAX_DEPTH} levels"),
                        span,
                    });
                }
                let element = open_element(tag, span)?;
                if matches!(event, Event::Empty(_)) {
                    close(element, &mut stack, &mut root);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                // check_end_names guarantees a matching open element.
                if let Some(mut element) = stack.pop() {
                    element.span = element.span.to(span);
                    close(element, &mut stack, &mut root);
                }
            }
            Event::Text(text) => {
                let raw = text.xml10_content();
                push_text(&mut stack, &raw, span, &root)?;
            }
            Event::CData(cdata) => {
                let content = cdata.xml10_content();
                // The span covers the content only, not `<![CDATA[` and `]]>`.
                let inner = Span::new(span.start + 9, span.end.saturating_sub(3).max(span.start + 9));
                push_text(&mut stack, &content, inner, &root)?;
            }
            Event::GeneralRef(r) => {
                let decoded = if let Some(ch) = r.resolve_char_ref().map_err(|e| XmlError {
                    message: format!("invalid character reference: {e}"),
                    span,
                })? {
                    ch.to_string()
                } else {
                    match &*r {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "apos" => "'",
                        "quot" => "\"",
                        other => {
                            // DOCTYPE entities are never expanded: metadata has none.
                            return Err(XmlError {
                                message: format!("unknown entity `&{other};`"),
                                span,
                            });
                        }
                    }
                    .to_string()
                };
                push_text(&mut stack, &decoded, span, &root)?;
            }
            Event::Comment(text) => {
                if let Some(parent) = stack.last_mut() {
                    parent.nodes.push(Node::Comment(Text {
                        value: text.xml10_content().trim().to_string(),
                        span,
                    }));
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.first() {
        return Err(XmlError {
            message: format!("unexpected end of file: <{}> is never closed", open.name),
            span: open.name_span,
        });
    }
    match root {
        Some(root) => Ok(Document { root }),
        None => Err(XmlError {
            message: "no root element".into(),
            span: at(body.len(), body.len()),
        }),
    }
}

fn open_element(tag: &quick_xml::events::BytesStart<'_>, span: Span) -> Result<Element, XmlError> {
    let qname = tag.name();
    let raw_name: &str = qname.as_ref();
    let local = tag.local_name();
    let local: &str = local.as_ref();
    // The name starts right after '<'; the local part right after any prefix.
    let name_start = span.start + 1 + (raw_name.len() - local.len());
    let mut nil = false;
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| XmlError {
            message: format!("malformed attribute: {e}"),
            span,
        })?;
        let key: &str = attr.key.as_ref();
        if key.rsplit(':').next() == Some("nil") && attr.value.trim() == "true" {
            nil = true;
        }
    }
    Ok(Element {
        name: local.to_string(),
        span,
        name_span: Span::new(name_start, name_start + local.len()),
        nil,
        nodes: Vec::new(),
    })
}

fn close(element: Element, stack: &mut Vec<Element>, root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.nodes.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(
    stack: &mut [Element],
    value: &str,
    span: Span,
    root: &Option<Element>,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            // Adjacent pieces (text, entity, text) form one run.
            if let Some(Node::Text(prev)) = parent.nodes.last_mut() {
                if prev.span.end == span.start {
                    prev.value.push_str(value);
                    prev.span = prev.span.to(span);
                    return Ok(());
                }
            }
            parent.nodes.push(Node::Text(Text { value: value.to_string(), span }));
            Ok(())
        }
        None if value.trim().is_empty() => Ok(()),
        None => Err(XmlError {
            message: if root.is_some() {
                "text after the root element".into()
            } else {
                "text before the root element".into()
            },
            span,
        }),
    }
}

fn describe(e: &quick_xml::Error) -> String {
    use quick_xml::errors::{Error, IllFormedError};
    match e {
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("closing tag </{found}> does not match the open <{expected}>")
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("closing tag </{name}> has no open element")
        }
        Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
            format!("<{name}> is never closed")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
