//! A small XML tree that keeps the byte span of every element, text value and comment.
//!
//! Metadata is parsed generically (never by regex, never by serde) so that every finding
//! can point at the exact element. quick-xml stays inside this module.
//!
//! What is accepted is well-formed XML 1.0 in UTF-8, with these policies:
//!
//! - A leading byte-order mark is skipped; every span is still an offset into the string
//!   given to [`parse`], so it counts the mark's three bytes.
//! - Namespace prefixes are dropped from element names (`<sf:ConnectedApp>` is
//!   `ConnectedApp`); `name_span` covers the local part. Namespaces are resolved, though: an
//!   element in another namespace than the root's (or in none, under a root in one) is
//!   `foreign`, and not a metadata element: [`Element::elements`] passes over it. Only
//!   `nil` in the XML Schema instance namespace (`xsi:nil`, declared) makes an element nil.
//! - Only the five predefined entities and character references are decoded. A DOCTYPE is
//!   accepted but never interpreted: entities it defines are never expanded (a reference to
//!   one is an "unknown entity" error) and nothing it names is ever fetched.
//! - Comments inside the root element are kept as [`Node::Comment`]; those before or after
//!   it are kept in [`Document::comments`].
//! - Nesting deeper than [`MAX_DEPTH`] is refused, and so is a tree of more than
//!   [`MAX_NODES`] elements, text pieces and comments.
//!
//! Every error is an [`XmlError`] whose span points at the problem, never a panic.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;

mod span;
pub use span::Span;

/// Deeper nesting than this is never metadata; refusing it keeps every later walk of
/// the tree (and its drop) far from the stack limit.
pub const MAX_DEPTH: usize = 256;

/// At most this many elements, text pieces and comments are kept in one tree (about 30 MB):
/// ten times the largest metadata file read whole in the corpus. Without it a 16 MiB file of
/// `<x/>` made a tree thirty times its size.
pub const MAX_NODES: usize = 250_000;

#[derive(Debug, Clone)]
pub struct Element {
    /// Local name: any namespace prefix is removed.
    pub name: String,
    /// From the `<` of the start tag to the `>` of the end tag.
    pub span: Span,
    /// The name in the start tag (its local part): where labels about this element point.
    pub name_span: Span,
    /// `xsi:nil="true"`: the element stands for an absent value.
    pub nil: bool,
    /// In another namespace than the root element's (an undeclared prefix, or no namespace
    /// under a root in one): not part of the metadata.
    pub foreign: bool,
    pub nodes: Vec<Node>,
}

/// The XML Schema instance namespace, the only one whose `nil` attribute means nil.
const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    /// One piece of character data, in document order: a run of literal text (its value
    /// is exactly the source it spans, line ends not yet normalized), one decoded entity
    /// or character reference (the span covers `&...;`), or the content of a CDATA section
    /// (the span covers the content only). [`Element::text`] joins the pieces.
    Text(Text),
    /// A comment: the value is its trimmed content, the span covers `<!--` to `-->`.
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
    /// Comments outside the root element (before or after it), in document order.
    pub comments: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for XmlError {}

impl Element {
    /// Child elements, skipping `xsi:nil` ones (they mean "absent") and foreign ones (not
    /// metadata).
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Element(e) if !e.nil && !e.foreign => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The element's own character data (text, references and CDATA directly inside it,
    /// joined), with XML whitespace (space, tab, CR, LF) trimmed from both ends and line
    /// ends normalized to `\n`. The span covers exactly the trimmed part in the source.
    /// `None` when the element has no non-blank text.
    pub fn text(&self) -> Option<Text> {
        let pieces: Vec<&Text> = self
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        let first = pieces.iter().position(|t| !is_blank(&t.value))?;
        let last = pieces.iter().rposition(|t| !is_blank(&t.value))?;
        let mut value = String::new();
        let (mut start, mut end) = (0, 0);
        for (i, piece) in pieces.iter().enumerate().take(last + 1).skip(first) {
            // A reference decodes to one character but spans several bytes, so only a
            // verbatim piece (literal text or CDATA) has as many bytes as its source. A
            // reference that is the first or last non-blank piece is not whitespace, so
            // nothing is trimmed from it.
            let verbatim = piece.value.len() == piece.span.len();
            let mut v = piece.value.as_str();
            let mut span = piece.span;
            if i == first {
                let trimmed = v.trim_start_matches(is_xml_space);
                if verbatim {
                    span.start += v.len() - trimmed.len();
                }
                v = trimmed;
                start = span.start;
            }
            if i == last {
                let trimmed = v.trim_end_matches(is_xml_space);
                if verbatim {
                    span.end -= v.len() - trimmed.len();
                }
                v = trimmed;
                end = span.end;
            }
            if verbatim {
                push_normalized(&mut value, v);
            } else {
                value.push_str(v);
            }
        }
        Some(Text { value, span: Span::new(start, end) })
    }

    /// Each comment directly inside this element, in document order, with the child element
    /// after it: what an inline suppression there is about (`None` when nothing follows).
    pub fn comments_with_next(&self) -> impl Iterator<Item = (&Text, Option<&Element>)> {
        self.nodes.iter().enumerate().filter_map(move |(i, n)| match n {
            Node::Comment(c) => Some((
                c,
                self.nodes[i + 1..].iter().find_map(|n| match n {
                    Node::Element(e) => Some(e),
                    _ => None,
                }),
            )),
            _ => None,
        })
    }

    /// Comments directly inside this element, in document order.
    pub fn comments(&self) -> impl Iterator<Item = &Text> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Comment(c) => Some(c),
            _ => None,
        })
    }
}

/// XML's whitespace: `S ::= (#x20 | #x9 | #xD | #xA)+`. Other Unicode spaces (such as a
/// no-break space) are part of a value.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_blank(s: &str) -> bool {
    s.chars().all(is_xml_space)
}

/// Appends `s` with XML 1.0 line-end handling: `\r\n` and a lone `\r` become `\n`.
fn push_normalized(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
}

fn normalized(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalized(&mut out, s);
    out
}

/// `Char` of XML 1.0: what may appear in a document, literally or as a reference.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The first character of `s` that XML does not allow, and where it is. By byte, as this
/// looks at every byte of every file: in a `str` (no surrogates) the only such characters
/// are C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`).
fn first_non_xml_char(s: &str) -> Option<(usize, char)> {
    let suspect = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0xEF);
    // Blocks without a suspect byte (nearly all) are passed over by a loop the compiler
    // vectorizes; only a block with one is looked at character by character.
    const BLOCK: usize = 64;
    for (n, block) in s.as_bytes().chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &b| any | suspect(b)) {
            continue;
        }
        // From the start of the character the block starts in, to the end of the block.
        let start = floor_boundary(s, n * BLOCK);
        let end = (n * BLOCK + BLOCK).min(s.len());
        let found = s[start..].char_indices().take_while(|&(i, _)| start + i < end).find(|&(_, c)| !is_xml_char(c));
        if let Some((i, c)) = found {
            return Some((start + i, c));
        }
    }
    None
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}'
        | '\u{f8}'..='\u{2ff}' | '\u{370}'..='\u{37d}' | '\u{37f}'..='\u{1fff}'
        | '\u{200c}'..='\u{200d}' | '\u{2070}'..='\u{218f}' | '\u{2c00}'..='\u{2fef}'
        | '\u{3001}'..='\u{d7ff}' | '\u{f900}'..='\u{fdcf}' | '\u{fdf0}'..='\u{fffd}'
        | '\u{10000}'..='\u{effff}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{b7}' | '\u{300}'..='\u{36f}' | '\u{203f}'..='\u{2040}')
}

/// A namespace-well-formed name: an XML `Name` with at most one colon, not at either end.
fn is_qname(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    // Metadata names are ASCII: checked by byte, without decoding characters.
    let is_name = if name.is_ascii() {
        let ascii_start = |b: u8| b.is_ascii_alphabetic() || matches!(b, b'_' | b':');
        ascii_start(name.as_bytes()[0])
            && name.bytes().all(|b| ascii_start(b) || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
    } else {
        is_name_start_char(first) && chars.all(is_name_char)
    };
    is_name && name.bytes().filter(|&b| b == b':').count() <= 1 && !name.starts_with(':') && !name.ends_with(':')
}

/// Parses `source` into a tree. A byte-order mark is skipped (spans stay offsets into
/// `source`).
pub fn parse(source: &str) -> Result<Document, XmlError> {
    Parser::new(source, None).run()
}

/// As [`parse`], but of the root element's children only those whose name `keep` accepts
/// are kept whole. Of the others only those an inline suppression can be about are kept,
/// with their name, span, `nil` and the comments inside them but no elements or text: one
/// that holds a comment or comes right after one (a comment is about the next element).
/// Everything is still checked, so the result is an error exactly when [`parse`]'s is, and
/// the same one, except for [`MAX_NODES`], which counts only what is kept.
/// Most of a large profile is permissions no rule reads: this keeps them out of memory.
pub fn parse_keeping(source: &str, keep: fn(&str) -> bool) -> Result<Document, XmlError> {
    Parser::new(source, Some(keep)).run()
}

/// Where a piece of character data came from: only literal text may be blank outside the
/// root element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    Literal,
    Reference,
    CData,
}

struct Parser<'s> {
    source: &'s str,
    /// Length of the byte-order mark skipped at the start of `source`.
    bom: usize,
    stack: Vec<Element>,
    root: Option<Element>,
    comments: Vec<Text>,
    /// Which children of the root to keep whole (`parse_keeping`).
    keep: Option<fn(&str) -> bool>,
    /// Inside a child of the root that is not kept (it is the last of `stack`): the name
    /// spans of the elements open inside it, innermost last.
    skipped: Option<Vec<Span>>,
    /// Namespace declarations in scope: for each prefix (`""` for the default namespace), its
    /// namespaces, innermost last (`None` for `xmlns=""`). A map, as a file can declare
    /// thousands and every element looks one up.
    namespaces: HashMap<String, Vec<Option<String>>>,
    /// For each open element (kept or skipped), the prefixes it declares.
    namespace_marks: Vec<Vec<String>>,
    /// The root element's namespace, once it is open.
    root_namespace: Option<Resolved>,
    /// Nodes kept in the tree so far, against [`MAX_NODES`].
    kept: usize,
    /// A comment is the last thing kept in the root: the next child of the root is what it
    /// is about, so it is kept even when `keep` does not want it.
    after_comment: bool,
}

/// A start tag, checked.
struct Tag {
    /// The local part of the name.
    name_span: Span,
    nil: bool,
    foreign: bool,
    namespace: Resolved,
    /// Its namespace declarations, by prefix (`""` for the default namespace).
    declares: HashMap<String, Option<String>>,
}

/// A name's namespace: `None` for no namespace; an undeclared prefix is `Unbound`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    In(Option<String>),
    Unbound,
}

impl<'s> Parser<'s> {
    fn new(source: &'s str, keep: Option<fn(&str) -> bool>) -> Self {
        let bom = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        Parser {
            source,
            bom,
            stack: Vec::new(),
            root: None,
            comments: Vec::new(),
            keep,
            skipped: None,
            namespaces: HashMap::new(),
            namespace_marks: Vec::new(),
            root_namespace: None,
            kept: 0,
            after_comment: false,
        }
    }

    /// Counts one more node kept in the tree, which starts at `span`.
    fn count(&mut self, span: Span) -> Result<(), XmlError> {
        self.kept += 1;
        if self.kept > MAX_NODES {
            return Err(self.error(
                format!(
                    "more than {MAX_NODES} elements, values and comments: far larger than any metadata file forcelint reads"
                ),
                self.point(span.start),
            ));
        }
        Ok(())
    }

    fn element(&self, tag: &Tag, span: Span) -> Element {
        let name = self.source[tag.name_span.start..tag.name_span.end].to_string();
        Element { name, span, name_span: tag.name_span, nil: tag.nil, foreign: tag.foreign, nodes: Vec::new() }
    }

    /// The namespace `prefix` stands for, with the tag's own declarations `declares` first.
    fn resolve(&self, prefix: Option<&str>, declares: &HashMap<String, Option<String>>) -> Resolved {
        if prefix == Some("xml") {
            return Resolved::In(Some("http://www.w3.org/XML/1998/namespace".into()));
        }
        let key = prefix.unwrap_or("");
        let found = declares.get(key).or_else(|| self.namespaces.get(key).and_then(|bound| bound.last()));
        match (found, prefix) {
            (Some(ns), _) => Resolved::In(ns.clone()),
            // No default namespace declared: no namespace.
            (None, None) => Resolved::In(None),
            (None, Some(_)) => Resolved::Unbound,
        }
    }

    /// Open elements, outermost first: those in the tree and those being skipped.
    fn depth(&self) -> usize {
        self.stack.len() + self.skipped.as_ref().map_or(0, Vec::len)
    }

    /// An error covering `span` (offsets into `source`).
    fn error(&self, message: impl Into<String>, span: Span) -> XmlError {
        XmlError { message: message.into(), span }
    }

    /// A span covering the character at `offset` in `source` (empty at the end).
    fn point(&self, offset: usize) -> Span {
        let offset = floor_boundary(self.source, offset.min(self.source.len()));
        let len = self.source[offset..].chars().next().map_or(0, char::len_utf8);
        Span::new(offset, offset + len)
    }

    fn run(mut self) -> Result<Document, XmlError> {
        let source = self.source;
        let bom = self.bom;
        let body = &source[bom..];
        // quick-xml skips a byte-order mark at the start of what it reads without counting
        // it in its positions: a second mark would shift every span after it.
        if bom > 0 && body.starts_with('\u{feff}') {
            return Err(self.error("text before the root element: a second byte-order mark", self.point(bom)));
        }
        if let Some((i, c)) = first_non_xml_char(body) {
            let mut message = format!("character U+{:04X} is not allowed in XML", c as u32);
            if c == '\0' {
                message.push_str(" (is the file UTF-16? Salesforce metadata is UTF-8)");
            }
            return Err(self.error(message, self.point(bom + i)));
        }
        let mut reader = Reader::from_str(body);
        reader.config_mut().check_end_names = true;
        reader.config_mut().check_comments = true;

        loop {
            let start = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = bom + reader.error_position() as usize;
                    let to = bom + reader.buffer_position() as usize;
                    return Err(self.reader_error(&e, at, to));
                }
            };
            let end = reader.buffer_position() as usize;
            let span = Span::new(bom + start, bom + end);
            match event {
                Event::Start(ref tag) | Event::Empty(ref tag) => {
                    let tag = self.check_tag(tag, span)?;
                    let empty = matches!(event, Event::Empty(_));
                    if let (true, Some(root)) = (self.stack.is_empty(), &self.root) {
                        return Err(self.error(
                            format!(
                                "a second root element <{}> after <{}>: a document has exactly one root element",
                                &source[tag.name_span.start..tag.name_span.end],
                                root.name
                            ),
                            tag.name_span,
                        ));
                    }
                    if self.depth() >= MAX_DEPTH {
                        return Err(
                            self.error(format!("elements nested deeper than {MAX_DEPTH} levels"), tag.name_span)
                        );
                    }
                    if self.root_namespace.is_none() {
                        self.root_namespace = Some(tag.namespace.clone());
                    }
                    // The declarations of an element are in scope until its end tag.
                    let mut tag = tag;
                    if !empty {
                        let mut prefixes = Vec::with_capacity(tag.declares.len());
                        for (prefix, namespace) in tag.declares.drain() {
                            self.namespaces.entry(prefix.clone()).or_default().push(namespace);
                            prefixes.push(prefix);
                        }
                        self.namespace_marks.push(prefixes);
                    }
                    if let Some(skipped) = self.skipped.as_mut() {
                        if !empty {
                            skipped.push(tag.name_span);
                        }
                        continue;
                    }
                    let skip = self.stack.len() == 1
                        && self.keep.is_some_and(|keep| !keep(&source[tag.name_span.start..tag.name_span.end]));
                    let element = self.element(&tag, span);
                    if !skip {
                        self.count(span)?;
                    }
                    if empty && skip {
                        self.close_stub(element, span)?;
                    } else if empty {
                        self.close(element);
                    } else {
                        self.stack.push(element);
                        if skip {
                            self.skipped = Some(Vec::new());
                        }
                    }
                }
                Event::End(_) => {
                    for prefix in self.namespace_marks.pop().unwrap_or_default() {
                        if let Some(bound) = self.namespaces.get_mut(&prefix) {
                            bound.pop();
                        }
                    }
                    if let Some(skipped) = self.skipped.as_mut()
                        && skipped.pop().is_some()
                    {
                        continue;
                    }
                    let stub = self.skipped.take().is_some();
                    // check_end_names guarantees a matching open element.
                    if let Some(mut element) = self.stack.pop() {
                        element.span = element.span.to(span);
                        if stub {
                            self.close_stub(element, span)?;
                        } else {
                            self.close(element);
                        }
                    }
                }
                // What is skipped is checked, not kept: its text needs no check beyond the
                // reader's, its references do. Its comments are kept, in the skipped child of
                // the root, so that a suppression there is still seen (and reported unused).
                Event::Text(_) | Event::CData(_) if self.skipped.is_some() => {}
                Event::Comment(text) if self.skipped.is_some() => {
                    let comment = Text { value: normalized(text.trim_matches(is_xml_space)), span };
                    self.count(span)?;
                    if let Some(child) = self.stack.last_mut() {
                        child.nodes.push(Node::Comment(comment));
                    }
                }
                Event::GeneralRef(r) if self.skipped.is_some() => {
                    self.reference(&r, span)?;
                }
                Event::Text(_) => {
                    // References are separate events, so literal text is exactly its source.
                    self.push_text(&source[span.start..span.end], span, Piece::Literal)?;
                }
                Event::CData(_) => {
                    // The span covers the content only, not `<![CDATA[` and `]]>`.
                    let inner = Span::new(span.start + "<![CDATA[".len(), span.end - "]]>".len());
                    self.push_text(&source[inner.start..inner.end], inner, Piece::CData)?;
                }
                Event::GeneralRef(r) => {
                    let decoded = self.reference(&r, span)?;
                    self.push_text(decoded.encode_utf8(&mut [0; 4]), span, Piece::Reference)?;
                }
                Event::Comment(text) => {
                    let comment = Text { value: normalized(text.trim_matches(is_xml_space)), span };
                    self.count(span)?;
                    self.after_comment |= self.stack.len() == 1;
                    match self.stack.last_mut() {
                        Some(parent) => parent.nodes.push(Node::Comment(comment)),
                        None => self.comments.push(comment),
                    }
                }
                Event::Decl(decl) => {
                    if start != 0 {
                        return Err(self.error(
                            "the XML declaration `<?xml ...?>` must be at the very start of the file",
                            self.point(span.start),
                        ));
                    }
                    match decl.version() {
                        Ok(v) if matches!(&*v, "1.0" | "1.1") => {}
                        Ok(v) => {
                            return Err(self.error(
                                format!("unknown XML version `{v}` in the XML declaration: expected 1.0"),
                                span,
                            ));
                        }
                        Err(_) => {
                            return Err(self.error("the XML declaration must start with `version=\"1.0\"`", span));
                        }
                    }
                }
                Event::DocType(_) => {
                    if self.root.is_some() || !self.stack.is_empty() {
                        return Err(self.error("a DOCTYPE must come before the root element", self.point(span.start)));
                    }
                }
                Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        let mut open: Vec<(&str, Span)> = self.stack.iter().map(|e| (e.name.as_str(), e.name_span)).collect();
        open.extend(self.skipped.iter().flatten().map(|&span| (&source[span.start..span.end], span)));
        if let Some(&(name, name_span)) = open.last() {
            let mut message = format!("unexpected end of file: <{name}> is never closed");
            let outer: Vec<String> = open.iter().rev().skip(1).map(|(name, _)| format!("<{name}>")).collect();
            if !outer.is_empty() {
                let shown = outer.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
                let more = if outer.len() > 3 { format!(" and {} more", outer.len() - 3) } else { String::new() };
                let verb = if outer.len() == 1 { "is" } else { "are" };
                message.push_str(&format!(", nor {verb} {shown}{more} around it"));
            }
            return Err(self.error(message, name_span));
        }
        match self.root.take() {
            Some(root) => Ok(Document { root, comments: self.comments }),
            None => Err(self.error(
                "no root element: the file has no XML element",
                Span::new(self.source.len(), self.source.len()),
            )),
        }
    }

    fn reader_error(&self, e: &quick_xml::Error, at: usize, to: usize) -> XmlError {
        use quick_xml::errors::{Error, IllFormedError};
        match e {
            Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                // Point at the whole end tag.
                self.error(
                    format!("closing tag </{found}> does not match the open <{expected}>"),
                    Span::new(at, to.max(at)),
                )
            }
            Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                self.error(format!("closing tag </{name}> has no open element"), Span::new(at, to.max(at)))
            }
            Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
                self.error(format!("<{name}> is never closed"), self.point(at))
            }
            Error::IllFormed(IllFormedError::UnclosedReference) => self.error(
                "`&` starts a reference that is never closed by `;` (write `&amp;` for a literal `&`)",
                self.point(at),
            ),
            // Without quick-xml's "syntax error:" / "ill-formed document:" prefixes.
            Error::IllFormed(inner) => self.error(inner.to_string(), self.point(at)),
            Error::Syntax(inner) => self.error(inner.to_string(), self.point(at)),
            other => self.error(other.to_string(), self.point(at)),
        }
    }

    fn reference(&self, r: &quick_xml::events::BytesRef<'_>, span: Span) -> Result<char, XmlError> {
        let name: &str = r;
        decode_reference(name).map_err(|message| self.error(message, span))
    }

    /// Checks a start tag: its name, its attributes, and whether it says `xsi:nil`.
    fn check_tag(&self, tag: &BytesStart<'_>, span: Span) -> Result<Tag, XmlError> {
        let qname = tag.name();
        let raw_name: &str = qname.as_ref();
        // The name starts right after '<'.
        let name_at = span.start + 1;
        if !is_qname(raw_name) {
            let message = if raw_name.is_empty() {
                "`<` must be followed by an element name (write `&lt;` for a literal `<`)".to_string()
            } else {
                format!("`{raw_name}` is not a valid element name")
            };
            let at =
                if raw_name.is_empty() { self.point(span.start) } else { Span::new(name_at, name_at + raw_name.len()) };
            return Err(self.error(message, at));
        }
        let local = tag.local_name();
        let local: &str = local.as_ref();
        // The local part starts right after any prefix.
        let local_at = name_at + (raw_name.len() - local.len());
        let mut declares = HashMap::new();
        // Prefixes of the `nil` attributes that say true: which namespace they are in is
        // known once every declaration of the tag is read.
        let mut nil_prefixes: Vec<Option<String>> = Vec::new();
        for attr in tag.attributes() {
            let attr = attr.map_err(|e| self.attribute_error(&e, name_at))?;
            let key: &str = attr.key.as_ref();
            let value: &str = &attr.value;
            // Both borrow from the source (the reader reads a `&str`): find where they sit.
            let key_span = self.span_of(key).unwrap_or(span);
            let value_span = match attr.value {
                std::borrow::Cow::Borrowed(v) => self.span_of(v),
                std::borrow::Cow::Owned(_) => None,
            };
            if !is_qname(key) {
                return Err(self.error(format!("`{key}` is not a valid attribute name"), key_span));
            }
            if let Some(value_span) = value_span {
                // After the closing quote: whitespace, `/` or `>`.
                let next = self.source[value_span.end..].chars().nth(1);
                if !matches!(next, Some(' ' | '\t' | '\r' | '\n' | '/' | '>')) {
                    return Err(
                        self.error("attributes must be separated by whitespace", self.point(value_span.end + 1))
                    );
                }
            }
            let decoded = decode_attribute(value)
                .map_err(|(message, at)| self.error(message, value_span.map_or(span, |v| self.point(v.start + at))))?;
            let (prefix, local_key) = match key.split_once(':') {
                Some((p, l)) => (Some(p), l),
                None => (None, key),
            };
            match (prefix, local_key) {
                (None, "xmlns") => {
                    declares.insert(String::new(), (!decoded.is_empty()).then_some(decoded));
                }
                (Some("xmlns"), p) => {
                    declares.insert(p.to_string(), Some(decoded));
                }
                // An attribute without a prefix is in no namespace: never `xsi:nil`.
                (Some(p), "nil") if matches!(decoded.trim_matches(is_xml_space), "true" | "1") => {
                    nil_prefixes.push(Some(p.to_string()));
                }
                _ => {}
            }
        }
        let xsi = Resolved::In(Some(XSI_NAMESPACE.to_string()));
        let nil = nil_prefixes.iter().any(|p| self.resolve(p.as_deref(), &declares) == xsi);
        let element_prefix = raw_name.split_once(':').map(|(p, _)| p);
        let namespace = self.resolve(element_prefix, &declares);
        let foreign = match &self.root_namespace {
            Some(root) => namespace == Resolved::Unbound || namespace != *root,
            // The root itself.
            None => false,
        };
        Ok(Tag { name_span: Span::new(local_at, local_at + local.len()), nil, foreign, namespace, declares })
    }

    /// Where `part`, a slice borrowed from `source`, sits in it.
    fn span_of(&self, part: &str) -> Option<Span> {
        let at = (part.as_ptr() as usize).checked_sub(self.source.as_ptr() as usize)?;
        let end = at.checked_add(part.len())?;
        (self.source.get(at..end) == Some(part)).then(|| Span::new(at, end))
    }

    fn attribute_error(&self, e: &quick_xml::events::attributes::AttrError, name_at: usize) -> XmlError {
        use quick_xml::events::attributes::AttrError;
        // Positions are relative to the tag's content, right after `<`.
        let (message, pos) = match *e {
            AttrError::ExpectedEq(p) => ("malformed attribute: a name must be followed by `=` and a quoted value", p),
            AttrError::ExpectedValue(p) => ("malformed attribute: `=` must be followed by a quoted value", p),
            AttrError::UnquotedValue(p) => ("malformed attribute: the value must be in quotes", p),
            AttrError::ExpectedQuote(p, _) => ("malformed attribute: the value is never closed by its quote", p),
            AttrError::Duplicated(p, _) => ("malformed attribute: the same attribute is given twice", p),
        };
        self.error(message, self.point(name_at + pos))
    }

    /// Closes a child of the root that `keep` does not want: kept only if a suppression can
    /// be about it.
    fn close_stub(&mut self, element: Element, span: Span) -> Result<(), XmlError> {
        if element.nodes.is_empty() && !self.after_comment {
            return Ok(());
        }
        self.count(span)?;
        self.close(element);
        Ok(())
    }

    fn close(&mut self, element: Element) {
        if self.stack.len() == 1 {
            self.after_comment = false;
        }
        match self.stack.last_mut() {
            Some(parent) => parent.nodes.push(Node::Element(element)),
            None => self.root = Some(element),
        }
    }

    fn push_text(&mut self, value: &str, span: Span, piece: Piece) -> Result<(), XmlError> {
        if let Some(parent) = self.stack.last() {
            // Indentation before or between elements means nothing and is most of a large
            // profile: keep it out of the tree. Blanks right after other text are kept, as
            // they can sit between two references (`&amp; &amp;`).
            let after_text = matches!(parent.nodes.last(), Some(Node::Text(_)));
            if piece == Piece::Literal && is_blank(value) && !after_text {
                return Ok(());
            }
            self.count(span)?;
            if let Some(parent) = self.stack.last_mut() {
                parent.nodes.push(Node::Text(Text { value: value.to_string(), span }));
            }
            return Ok(());
        }
        if piece == Piece::Literal && is_blank(value) {
            return Ok(());
        }
        let place = if self.root.is_some() { "after" } else { "before" };
        let what = if piece == Piece::CData { "CDATA" } else { "text" };
        // Point at the first line of what is there, not at the whitespace before it.
        let lead = value.len() - value.trim_start_matches(is_xml_space).len();
        let rest = &value[lead..];
        let line = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let line = rest[..line].trim_end_matches(is_xml_space).len();
        let at = if piece == Piece::Literal { Span::new(span.start + lead, span.start + lead + line) } else { span };
        Err(self.error(format!("{what} {place} the root element"), at))
    }
}

/// The character a reference `&name;` stands for (`name` without `&` and `;`).
fn decode_reference(name: &str) -> Result<char, String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => num.parse().ok(),
            _ => return Err(format!("invalid character reference `&{name};`")),
        };
        return match code.and_then(char::from_u32) {
            Some(c) if is_xml_char(c) => Ok(c),
            _ => Err(format!("character reference `&{name};` is not a character allowed in XML")),
        };
    }
    match name {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        // DOCTYPE entities are never expanded: metadata has none.
        other => Err(format!("unknown entity `&{other};`")),
    }
}

/// Decodes the references in an attribute value; an error carries the byte offset in
/// `value` of the bad part.
fn decode_attribute(value: &str) -> Result<String, (String, usize)> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut offset = 0;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        let at = offset + i;
        if rest[i..].starts_with('<') {
            return Err(("`<` is not allowed in an attribute value (write `&lt;`)".into(), at));
        }
        let Some(len) = rest[i + 1..].find(';') else {
            return Err((
                "`&` starts a reference that is never closed by `;` (write `&amp;` for a literal `&`)".into(),
                at,
            ));
        };
        let name = &rest[i + 1..i + 1 + len];
        out.push(decode_reference(name).map_err(|m| (m, at))?);
        rest = &rest[i + 2 + len..];
        offset = at + 2 + len;
    }
    out.push_str(rest);
    Ok(out)
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests;
