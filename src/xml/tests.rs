use super::*;

const NS: &str = "http://soap.sforce.com/2006/04/metadata";

fn slice(src: &str, span: Span) -> &str {
    &src[span.start..span.end]
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src[..offset].matches('\n').count() + 1
}

fn ok(src: &str) -> Document {
    match parse(src) {
        Ok(doc) => {
            check_tree(src, &doc.root);
            check_kept(src, &doc);
            doc
        }
        Err(e) => panic!("expected {src:?} to parse, got {e:?}"),
    }
}

/// `parse_keeping` gives the same tree when it keeps everything, and the same root with
/// its children emptied when it keeps nothing.
fn check_kept(src: &str, doc: &Document) {
    let all = parse_keeping(src, |_| true).unwrap_or_else(|e| panic!("keeping all of {src:?}: {e:?}"));
    assert_eq!(format!("{:?}", all.root), format!("{:?}", doc.root));
    let none = parse_keeping(src, |_| false).unwrap_or_else(|e| panic!("keeping none of {src:?}: {e:?}"));
    check_tree(src, &none.root);
    assert_eq!(format!("{:?}", none.comments), format!("{:?}", doc.comments));
    // What is kept of the root's children is a part of them, in order: every comment and
    // text, and the elements a comment is in or right before, as stubs.
    let mut whole = doc.root.nodes.iter();
    for stub in &none.root.nodes {
        let same = whole.find(|w| match (stub, w) {
            (Node::Element(s), Node::Element(w)) => (s.span, s.name_span) == (w.span, w.name_span),
            (s, w) => format!("{s:?}") == format!("{w:?}"),
        });
        let Some(whole) = same else { panic!("{stub:?} kept from nothing in {src:?}") };
        if let (Node::Element(stub), Node::Element(whole)) = (stub, whole) {
            assert_eq!((&stub.name, stub.nil), (&whole.name, whole.nil));
            assert!(stub.nodes.iter().all(|n| matches!(n, Node::Comment(_))), "{stub:?}");
        }
    }
    let kept = |nodes: &[Node]| nodes.iter().filter(|n| !matches!(n, Node::Element(_))).count();
    assert_eq!(kept(&none.root.nodes), kept(&doc.root.nodes), "{src:?}");
    // So each comment is about the same element in both: what inline suppressions rely on.
    assert_eq!(about(&none.root), about(&doc.root), "{src:?}");
}

/// For each comment directly in `element`, the span of the element after it (if any).
fn about(element: &Element) -> Vec<(Span, Option<Span>)> {
    element.comments_with_next().map(|(c, next)| (c.span, next.map(|e| e.span))).collect()
}

/// Parses `src`, expecting an error whose span lies within the source, on char boundaries,
/// starting on `line`, with a message containing `contains`.
fn error(src: &str, line: usize, contains: &str) -> XmlError {
    let e = match parse(src) {
        Ok(doc) => panic!("expected {src:?} to fail, got {doc:?}"),
        Err(e) => e,
    };
    // Skipping is not a way around an error: the same one, at the same place.
    assert_eq!(parse_keeping(src, |_| false).err().as_ref(), Some(&e), "keeping none of {src:?}");
    check_span(src, e.span);
    assert_eq!(line_of(src, e.span.start), line, "error {e:?} is on the wrong line of {src:?}");
    assert!(e.message.contains(contains), "error {e:?} should mention {contains:?}");
    e
}

fn check_span(src: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= src.len(), "span {span:?} outside {} bytes", src.len());
    assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end), "span {span:?} splits a character");
}

/// Every span is within the source, and every child lies within its parent.
fn check_tree(src: &str, el: &Element) {
    check_span(src, el.span);
    check_span(src, el.name_span);
    assert_eq!(&src[el.span.start..el.span.start + 1], "<");
    assert_eq!(&src[el.span.end - 1..el.span.end], ">");
    assert!(el.span.start < el.name_span.start && el.name_span.end <= el.span.end);
    assert!(slice(src, el.name_span) == el.name, "name_span of {} is {:?}", el.name, slice(src, el.name_span));
    for node in &el.nodes {
        let span = match node {
            Node::Element(child) => {
                check_tree(src, child);
                child.span
            }
            Node::Text(t) | Node::Comment(t) => t.span,
        };
        check_span(src, span);
        assert!(el.span.start < span.start && span.end < el.span.end, "{span:?} outside {:?}", el.span);
    }
    if let Some(text) = el.text() {
        check_span(src, text.span);
    }
}

fn text(el: &Element) -> (String, Span) {
    let t = el.text().unwrap_or_else(|| panic!("<{}> has no text", el.name));
    (t.value, t.span)
}

// ---------------------------------------------------------------------------------------
// Structure and spans

#[test]
fn nested_elements_keep_name_and_element_spans() {
    let src = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"{NS}\">\n    <oauthConfig>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    );
    let doc = ok(&src);
    let root = &doc.root;
    assert_eq!(root.name, "ConnectedApp");
    assert_eq!(slice(&src, root.name_span), "ConnectedApp");
    assert!(slice(&src, root.span).starts_with("<ConnectedApp xmlns="));
    assert!(slice(&src, root.span).ends_with("</ConnectedApp>"));
    assert_eq!(root.elements().count(), 2);

    let config = root.child("oauthConfig").unwrap();
    assert_eq!(
        slice(&src, config.span),
        "<oauthConfig>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>"
    );
    let scopes: Vec<_> = config.children("scopes").collect();
    assert_eq!(scopes.len(), 2);
    assert_eq!(slice(&src, scopes[1].span), "<scopes>RefreshToken</scopes>");
    assert_eq!(slice(&src, scopes[1].name_span), "scopes");
    assert_eq!(line_of(&src, scopes[1].name_span.start), 5);
    assert_eq!(text(scopes[0]).0, "Api");

    let policy = root.child("oauthPolicy").unwrap().child("refreshTokenPolicy").unwrap();
    assert_eq!(slice(&src, policy.name_span), "refreshTokenPolicy");
    assert_eq!(slice(&src, policy.span), "<refreshTokenPolicy>zero</refreshTokenPolicy>");
    let (value, span) = text(policy);
    assert_eq!(value, "zero");
    assert_eq!(slice(&src, span), "zero");
    assert!(root.child("missing").is_none());
}

#[test]
fn self_closing_elements() {
    let src = "<a><b/><c x=\"1\" /><d></d></a>";
    let doc = ok(src);
    let names: Vec<_> = doc.root.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["b", "c", "d"]);
    let b = doc.root.child("b").unwrap();
    assert_eq!(slice(src, b.span), "<b/>");
    assert!(b.nodes.is_empty() && b.text().is_none());
    let c = doc.root.child("c").unwrap();
    assert_eq!(slice(src, c.span), "<c x=\"1\" />");
    assert_eq!(slice(src, c.name_span), "c");
    assert_eq!(slice(src, doc.root.child("d").unwrap().span), "<d></d>");
    assert!(doc.root.child("d").unwrap().text().is_none());

    let doc = ok("<ConnectedApp/>");
    assert_eq!(doc.root.name, "ConnectedApp");
    assert_eq!(doc.root.span, Span::new(0, 15));
}

#[test]
fn text_is_trimmed_and_its_span_narrowed() {
    let src = "<a>\n    zero \t\n</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!(value, "zero");
    assert_eq!(slice(src, span), "zero");

    // Inner whitespace is kept.
    let src = "<a>  specific_lifetime: 3 :HOURS  </a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!(value, "specific_lifetime: 3 :HOURS");
    assert_eq!(slice(src, span), value);

    // Blank or empty text is no text.
    assert!(ok("<a>  \n\t </a>").root.text().is_none());
    assert!(ok("<a></a>").root.text().is_none());
}

#[test]
fn only_xml_whitespace_is_trimmed() {
    // A no-break space is part of the value: Salesforce would not accept `zero\u{a0}`.
    let src = "<a>zero\u{a0}</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!(value, "zero\u{a0}");
    assert_eq!(slice(src, span), "zero\u{a0}");
}

#[test]
fn text_around_child_elements_and_comments_is_joined() {
    let src = "<a> x<!-- note -->y<b/>z </a>";
    let doc = ok(src);
    let (value, span) = text(&doc.root);
    assert_eq!(value, "xyz");
    assert_eq!(slice(src, span), "x<!-- note -->y<b/>z");
}

#[test]
fn entities_are_decoded_and_join_the_text_around_them() {
    let src = "<a> x &amp; y &lt;&gt;&quot;&apos; &#x41;&#65; </a>";
    let doc = ok(src);
    let (value, span) = text(&doc.root);
    assert_eq!(value, "x & y <>\"' AA");
    assert_eq!(slice(src, span), "x &amp; y &lt;&gt;&quot;&apos; &#x41;&#65;");

    // Each reference is a piece whose span covers `&...;`.
    let pieces: Vec<_> = doc
        .root
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Text(t) => Some((t.value.as_str(), slice(src, t.span))),
            _ => None,
        })
        .collect();
    assert_eq!(pieces[0], (" x ", " x "));
    assert_eq!(pieces[1], ("&", "&amp;"));
    assert_eq!(pieces[pieces.len() - 2], ("A", "&#65;"));

    // A reference alone, or at either end of the text.
    let src = "<a>&amp;</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!((value.as_str(), slice(src, span)), ("&", "&amp;"));
    let src = "<a>\n  &#65;bc&#x1F600;\n</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!((value.as_str(), slice(src, span)), ("Abc\u{1F600}", "&#65;bc&#x1F600;"));
    // Multi-byte characters around a reference.
    let src = "<a>é&amp;ü</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!((value.as_str(), slice(src, span)), ("é&ü", "é&amp;ü"));
}

#[test]
fn whitespace_character_references_are_trimmed_like_whitespace() {
    let src = "<a>&#32;&#x9; zero&#10;</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!(value, "zero");
    assert_eq!(slice(src, span), "zero");
    // Inside the value they are kept, and not subject to line-end normalization.
    let src = "<a>a&#13;&#10;b</a>";
    assert_eq!(text(&ok(src).root).0, "a\r\nb");
}

#[test]
fn cdata_gives_its_content_verbatim() {
    let src = "<a><![CDATA[ <b>&amp; ]]></a>";
    let doc = ok(src);
    let Node::Text(piece) = &doc.root.nodes[0] else { panic!("expected text") };
    assert_eq!(piece.value, " <b>&amp; ");
    assert_eq!(slice(src, piece.span), " <b>&amp; ");
    let (value, span) = text(&doc.root);
    assert_eq!(value, "<b>&amp;");
    assert_eq!(slice(src, span), "<b>&amp;");

    // Mixed with text on both sides.
    let src = "<a>\n  x<![CDATA[y]]>z\n</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!(value, "xyz");
    assert_eq!(slice(src, span), "x<![CDATA[y]]>z");

    // Leading whitespace inside the CDATA is trimmed too.
    let src = "<a><![CDATA[\n  zero]]></a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!((value.as_str(), slice(src, span)), ("zero", "zero"));

    // Empty CDATA is no text.
    assert!(ok("<a><![CDATA[]]></a>").root.text().is_none());
}

#[test]
fn comments_are_kept_with_spans() {
    let src = "<!-- licence header -->\n<a>\n  <!-- why this value -->\n  <b>1</b>\n  <!--\n  two lines\n  -->\n</a>\n<!-- trailer -->\n";
    let doc = ok(src);
    let inside: Vec<_> = doc.root.comments().collect();
    assert_eq!(inside.len(), 2);
    assert_eq!(inside[0].value, "why this value");
    assert_eq!(slice(src, inside[0].span), "<!-- why this value -->");
    assert_eq!(inside[1].value, "two lines");
    assert_eq!(line_of(src, inside[1].span.start), 5);
    // Comments never count as elements or text.
    assert_eq!(doc.root.elements().count(), 1);
    assert!(doc.root.text().is_none());
    // Comments outside the root element are kept in the document.
    assert_eq!(doc.comments.len(), 2);
    assert_eq!(doc.comments[0].value, "licence header");
    assert_eq!(slice(src, doc.comments[0].span), "<!-- licence header -->");
    assert_eq!(doc.comments[1].value, "trailer");
    assert_eq!(line_of(src, doc.comments[1].span.start), 9);
}

#[test]
fn comment_line_ends_are_normalized() {
    let src = "<a><!-- one\r\ntwo --></a>";
    let doc = ok(src);
    let comment = doc.root.comments().next().unwrap();
    assert_eq!(comment.value, "one\ntwo");
    assert_eq!(slice(src, comment.span), "<!-- one\r\ntwo -->");
}

#[test]
fn namespace_prefixes_are_stripped() {
    let src = format!(
        "<sf:ConnectedApp xmlns:sf=\"{NS}\">\n  <sf:oauthPolicy>\n    <sf:ipRelaxation>ENFORCE</sf:ipRelaxation>\n  </sf:oauthPolicy>\n</sf:ConnectedApp>"
    );
    let doc = ok(&src);
    assert_eq!(doc.root.name, "ConnectedApp");
    assert_eq!(slice(&src, doc.root.name_span), "ConnectedApp");
    assert_eq!(&src[doc.root.name_span.start - 3..doc.root.name_span.start], "sf:");
    let relax = doc.root.child("oauthPolicy").unwrap().child("ipRelaxation").unwrap();
    assert_eq!(slice(&src, relax.name_span), "ipRelaxation");
    assert_eq!(slice(&src, relax.span), "<sf:ipRelaxation>ENFORCE</sf:ipRelaxation>");
    assert_eq!(text(relax).0, "ENFORCE");
}

#[test]
fn xsi_nil_elements_are_skipped() {
    let src = "<a xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <b xsi:nil=\"true\"/>\n  <b>1</b>\n  <c xsi:nil=\"true\"></c>\n  <d xsi:nil=\"false\">2</d>\n  <e xsi:nil=\" 1 \"/>\n</a>";
    let doc = ok(src);
    assert!(doc.root.child("c").is_none());
    assert!(doc.root.child("e").is_none());
    assert_eq!(doc.root.children("b").count(), 1);
    assert_eq!(text(doc.root.child("b").unwrap()).0, "1");
    assert!(!doc.root.child("d").unwrap().nil);
    let names: Vec<_> = doc.root.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["b", "d"]);
    // The nil elements are still in the tree, flagged.
    let nil: Vec<_> = doc
        .root
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) if e.nil => Some(slice(src, e.name_span)),
            _ => None,
        })
        .collect();
    assert_eq!(nil, ["b", "c", "e"]);
}

#[test]
fn byte_order_mark_is_skipped_and_spans_index_the_original() {
    let src = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b> zero </b>\n</a>\n";
    let doc = ok(src);
    assert_eq!(doc.root.span.start, 3 + 39);
    assert_eq!(slice(src, doc.root.name_span), "a");
    let b = doc.root.child("b").unwrap();
    assert_eq!(slice(src, b.span), "<b> zero </b>");
    let (value, span) = text(b);
    assert_eq!(value, "zero");
    assert_eq!(slice(src, span), "zero");

    // Without a declaration too.
    let src = "\u{feff}<a>x</a>";
    let doc = ok(src);
    assert_eq!(doc.root.span, Span::new(3, src.len()));
    assert_eq!(slice(src, text(&doc.root).1), "x");

    // Errors in a file with a byte-order mark point into the original string.
    let e = error("\u{feff}<a>\n&bad;</a>", 2, "unknown entity");
    assert_eq!(slice("\u{feff}<a>\n&bad;</a>", e.span), "&bad;");
}

#[test]
fn a_second_byte_order_mark_is_text_before_the_root() {
    // Found by fuzzing: quick-xml skipped the second mark without counting it, so spans
    // were 3 bytes off and slicing the source panicked.
    let src = "\u{feff}\u{feff}m <a>x</a>";
    let e = error(src, 1, "second byte-order mark");
    assert_eq!(e.span, Span::new(3, 6));
    error("\u{feff}\u{feff}<a>x</a>", 1, "text before the root element");
    // One mark elsewhere before the root is text too; after the root starts it is content.
    error("\u{feff}\n\u{feff}<a>x</a>", 2, "text before the root element");
    assert_eq!(text(&ok("\u{feff}<a>\u{feff}x</a>").root).0, "\u{feff}x");
}

#[test]
fn crlf_line_ends_keep_exact_spans() {
    let src = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a>\r\n    <b>\r\n        zero\r\n    </b>\r\n    <c>x\r\ny</c>\r\n    <d><![CDATA[\r\n p\r\nq\r]]></d>\r\n</a>\r\n";
    let doc = ok(src);
    let b = doc.root.child("b").unwrap();
    let (value, span) = text(b);
    assert_eq!(value, "zero");
    assert_eq!(slice(src, span), "zero");
    assert_eq!(line_of(src, span.start), 4);
    // Line ends inside a value are normalized; the span still covers the source.
    let (value, span) = text(doc.root.child("c").unwrap());
    assert_eq!(value, "x\ny");
    assert_eq!(slice(src, span), "x\r\ny");
    let (value, span) = text(doc.root.child("d").unwrap());
    assert_eq!(value, "p\nq");
    assert_eq!(slice(src, span), "p\r\nq");
    // A lone CR is a line end too.
    let src = "<a>\r zero \r</a>";
    let (value, span) = text(&ok(src).root);
    assert_eq!((value.as_str(), slice(src, span)), ("zero", "zero"));
}

#[test]
fn xml_declaration_variants() {
    for decl in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<?xml version = '1.0' encoding = 'utf-8' standalone=\"yes\"  ?>",
        "<?xml version=\"1.0\"?>",
    ] {
        let src = format!("{decl}\n<a>x</a>");
        let doc = ok(&src);
        assert_eq!(slice(&src, text(&doc.root).1), "x");
    }
}

#[test]
fn processing_instructions_are_ignored() {
    let doc = ok("<?xml version=\"1.0\"?><?xml-stylesheet href=\"x\"?><a><?pi data?>x</a><?after?>");
    assert_eq!(text(&doc.root).0, "x");
}

#[test]
fn doctype_entities_are_never_expanded() {
    // A DOCTYPE alone is accepted and ignored.
    ok("<!DOCTYPE a [<!ENTITY secret \"expanded\">]>\n<a>x</a>");
    ok("<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/never-fetched.dtd\">\n<a>x</a>");

    let src = "<!DOCTYPE a [<!ENTITY secret \"expanded\">]>\n<a>\n  <b>&secret;</b>\n</a>";
    let e = error(src, 3, "unknown entity `&secret;`");
    assert_eq!(slice(src, e.span), "&secret;");
    assert!(!e.message.contains("expanded"));

    // External entities: nothing is read or fetched.
    let src = "<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<a>&xxe;</a>";
    let e = error(src, 2, "unknown entity `&xxe;`");
    assert_eq!(slice(src, e.span), "&xxe;");
}

#[test]
fn attributes_on_the_root() {
    let src = format!(
        "<ConnectedApp xmlns=\"{NS}\" a=\"\" b='' xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n              fqn='x &amp; y' empty=\"\">\n  <label>L</label>\n</ConnectedApp>"
    );
    let doc = ok(&src);
    assert_eq!(slice(&src, doc.root.name_span), "ConnectedApp");
    assert!(!doc.root.nil);
    assert_eq!(text(doc.root.child("label").unwrap()).0, "L");
}

#[test]
fn multi_byte_names_and_text() {
    let src = "<a>\n  <é名>日本語</é名>\n</a>";
    let doc = ok(src);
    let el = doc.root.child("é名").unwrap();
    assert_eq!(slice(src, el.name_span), "é名");
    assert_eq!(slice(src, text(el).1), "日本語");
}

#[test]
fn large_text_node_parses() {
    let big = "x".repeat(1 << 20);
    let src = format!("<a>\n{big}\n</a>");
    let doc = ok(&src);
    let (value, span) = text(&doc.root);
    assert_eq!(value.len(), 1 << 20);
    assert_eq!(span, Span::new(4, 4 + (1 << 20)));
}

#[test]
fn many_siblings_parse() {
    let src = format!("<a>{}</a>", "<scopes>Api</scopes>\n".repeat(50_000));
    let doc = ok(&src);
    assert_eq!(doc.root.children("scopes").count(), 50_000);
}

// ---------------------------------------------------------------------------------------
// Depth

fn nested(depth: usize) -> String {
    format!("{}x{}", "<a>".repeat(depth), "</a>".repeat(depth))
}

#[test]
fn nesting_up_to_max_depth_parses() {
    let doc = ok(&nested(MAX_DEPTH));
    let mut el = &doc.root;
    let mut depth = 1;
    while let Some(child) = el.child("a") {
        el = child;
        depth += 1;
    }
    assert_eq!(depth, MAX_DEPTH);
    assert_eq!(text(el).0, "x");
    // Cloning, formatting and dropping the deepest accepted tree is fine.
    let copy = doc.clone();
    assert!(!format!("{copy:?}").is_empty());
}

#[test]
fn nesting_beyond_max_depth_is_an_error() {
    let src = nested(MAX_DEPTH + 1);
    let e = error(&src, 1, "nested deeper than");
    assert_eq!(e.span.start, 3 * MAX_DEPTH + 1);
    // A self-closing element one level too deep counts too.
    let src = format!("{}<b/>{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    let e = error(&src, 1, "nested deeper than");
    assert_eq!(slice(&src, e.span), "b");
}

#[test]
fn very_deep_nesting_does_not_overflow_the_stack() {
    // Run on a small stack: the parser must not recurse per level.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let closed = nested(100_000);
            let e = parse(&closed).unwrap_err();
            assert!(e.message.contains("nested deeper than"));
            let unclosed = "<a>".repeat(100_000);
            let e = parse(&unclosed).unwrap_err();
            assert!(e.message.contains("nested deeper than"));
            let empty = "<a>".repeat(100_000) + "<b/>";
            assert!(parse(&empty).is_err());
        })
        .unwrap();
    handle.join().unwrap();
}

// ---------------------------------------------------------------------------------------
// Errors

#[test]
fn mismatched_end_tag() {
    let src = "<a>\n  <b>x</b>\n  <c>y</d>\n</a>";
    let e = error(src, 3, "</d>");
    assert!(e.message.contains("<c>"), "{e:?}");
    assert_eq!(slice(src, e.span), "</d>");

    let src = "<sf:a xmlns:sf=\"u\">\n</a>";
    let e = error(src, 2, "</a>");
    assert!(e.message.contains("<sf:a>"), "{e:?}");
}

#[test]
fn end_tag_without_start() {
    let src = "\n</a>";
    let e = error(src, 2, "</a>");
    assert_eq!(slice(src, e.span), "</a>");
    error("<a></a>\n</a>", 2, "</a>");
}

#[test]
fn unclosed_element_at_end_of_file_names_it() {
    let src = "<ConnectedApp>\n  <oauthConfig>\n    <scopes>Api</scopes>\n";
    let e = error(src, 2, "<oauthConfig> is never closed");
    assert!(e.message.contains("<ConnectedApp>"), "{e:?}");
    assert_eq!(slice(src, e.span), "oauthConfig");

    let src = "<a>\n  text";
    let e = error(src, 1, "<a> is never closed");
    assert_eq!(slice(src, e.span), "a");

    let src = format!("{}\n", "<a>".repeat(10));
    error(&src, 1, "and 6 more");
}

#[test]
fn content_after_the_root_element() {
    let src = "<a/>\n\n  junk  \n more\n";
    let e = error(src, 3, "text after the root element");
    assert_eq!(slice(src, e.span), "junk");

    let src = "<a>x</a>\n<b/>";
    let e = error(src, 2, "second root element <b>");
    assert_eq!(slice(src, e.span), "b");

    let src = "<a/>\n&amp;";
    let e = error(src, 2, "after the root element");
    assert_eq!(slice(src, e.span), "&amp;");

    let src = "<a/>\n<![CDATA[ ]]>";
    error(src, 2, "CDATA after the root element");

    // Whitespace and comments after the root are fine.
    ok("<a/>\n\r\n\t <!-- x -->\n");
}

#[test]
fn content_before_the_root_element() {
    let src = "\n  {\"not\": \"xml\"}\n<a/>";
    let e = error(src, 2, "text before the root element");
    assert_eq!(slice(src, e.span), "{\"not\": \"xml\"}");
    let src = "&#32;<a/>";
    error(src, 1, "before the root element");
}

#[test]
fn empty_documents() {
    for src in ["", "   \n\n", "<?xml version=\"1.0\"?>\n", "<!-- only a comment -->", "\u{feff}", "\u{feff}\n"] {
        let e = parse(src).unwrap_err();
        assert!(e.message.contains("no root element"), "{src:?}: {e:?}");
        check_span(src, e.span);
    }
}

#[test]
fn unknown_entity() {
    let src = "<a>\n  <b>x&nbsp;y</b>\n</a>";
    let e = error(src, 2, "unknown entity `&nbsp;`");
    assert_eq!(slice(src, e.span), "&nbsp;");
}

#[test]
fn bad_references() {
    for (body, contains) in [
        ("1 & 2", "never closed by `;`"),
        ("&amp", "never closed by `;`"),
        ("&#0;", "not a character allowed"),
        ("&#1;", "not a character allowed"),
        ("&#xD800;", "not a character allowed"),
        ("&#x110000;", "not a character allowed"),
        ("&#99999999999;", "not a character allowed"),
        ("&#X41;", "invalid character reference"),
        ("&#;", "invalid character reference"),
        ("&#x;", "invalid character reference"),
        ("&#-65;", "invalid character reference"),
        ("&#+65;", "invalid character reference"),
        ("&#x 41;", "invalid character reference"),
    ] {
        let src = format!("<a>\n<b>{body}</b></a>");
        let e = error(&src, 2, contains);
        assert!(slice(&src, e.span).starts_with('&'), "{body}: {e:?}");
    }
}

#[test]
fn less_than_in_text() {
    let src = "<a>\n  <b>1 < 2</b>\n</a>";
    let e = error(src, 2, "&lt;");
    assert_eq!(slice(src, e.span), "<");
}

#[test]
fn malformed_attributes() {
    for (tag, contains, at) in [
        ("<b c=1/>", "quotes", "1"),
        ("<b c/>", "`=`", "/"),
        ("<b c d='1'/>", "`=`", "d"),
        ("<b c=/>", "quoted value", "/"),
        ("<b c='1' c='2'/>", "twice", "c"),
        ("<b c=\"1\"d=\"2\"/>", "separated by whitespace", "d"),
        ("<b c=\"x & y\"/>", "never closed by `;`", "&"),
        ("<b c=\"&foo;\"/>", "unknown entity", "&"),
        ("<b c=\"&#0;\"/>", "not a character allowed", "&"),
        ("<b c=\"a<b\"/>", "`<` is not allowed", "<"),
        ("<b 1c=\"x\"/>", "not a valid attribute name", "1c"),
        ("<b c=\"\"d=''/>", "separated by whitespace", "d"),
        ("<b é=\"\" c='1'é='2'/>", "separated by whitespace", "é"),
    ] {
        let src = format!("<a>\n  {tag}\n</a>");
        let e = error(&src, 2, contains);
        assert_eq!(slice(&src, e.span), at, "{tag}: {e:?}");
    }
    // An unclosed quote runs to the end of the file: the error is at the tag.
    let src = "<a>\n  <b c='1/>\n</a>";
    error(src, 2, "attribute value not closed");
}

#[test]
fn attribute_values_are_decoded_for_nil() {
    let doc = ok("<a xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><b xsi:nil=\"&#116;rue\"/></a>");
    assert!(doc.root.child("b").is_none());
}

#[test]
fn invalid_element_names() {
    for (tag, at) in [("<1a/>", "1a"), ("<a:b:c/>", "a:b:c"), ("<:a/>", ":a"), ("<a:/>", "a:"), ("<-a/>", "-a")] {
        let src = format!("<r>\n{tag}</r>");
        let e = error(&src, 2, "not a valid element name");
        assert_eq!(slice(&src, e.span), at);
    }
    for src in ["<r>\n< b/></r>", "<r>\n<></r>", "<>"] {
        let e = error(src, line_of(src, src.rfind('<').unwrap_or(0)).min(2), "must be followed by an element name");
        assert_eq!(slice(src, e.span), "<");
    }
}

#[test]
fn broken_markup() {
    error("<a>\n<!-- a -- b --></a>", 2, "`--`");
    error("<a>\n<!-- never closed </a>", 2, "comment not closed");
    error("<a>\n<![CDATA[ never closed </a>", 2, "CDATA not closed");
    error("<a>\n<!foo></a>", 2, "markup");
    error("<a>\n<b", 2, "tag not closed");
    error("<a>\n<?pi never closed", 2, "processing instruction not closed");
    error("<a/>\n<!DOCTYPE a", 2, "DOCTYPE not closed");
    error("<!DOCTYPE>\n<a/>", 1, "name");
}

#[test]
fn misplaced_declaration_and_doctype() {
    let e = error(" <?xml version=\"1.0\"?><a/>", 1, "very start of the file");
    assert_eq!(e.span, Span::new(1, 2));
    error("<a/>\n<?xml version=\"1.0\"?>", 2, "very start of the file");
    error("<a>\n<?xml version=\"1.0\"?></a>", 2, "very start of the file");
    error("<?xml?>\n<a/>", 1, "version");
    error("<?xml encoding=\"UTF-8\"?>\n<a/>", 1, "version");
    error("<?xml version=\"2.0\"?>\n<a/>", 1, "2.0");
    error("<a/>\n<!DOCTYPE a>", 2, "DOCTYPE must come before");
    error("<a>\n<!DOCTYPE a></a>", 2, "DOCTYPE must come before");
    // A declaration right after the byte-order mark is at the start.
    ok("\u{feff}<?xml version=\"1.0\"?><a/>");
}

#[test]
fn characters_not_allowed_in_xml() {
    let src = "<a>\n  x\u{1}y</a>";
    let e = error(src, 2, "U+0001");
    assert_eq!(slice(src, e.span), "\u{1}");
    error("<a>\n\u{fffe}</a>", 2, "U+FFFE");
    // UTF-16 without a byte-order mark decodes as UTF-8 full of NULs.
    let utf16: String = "<a/>".chars().flat_map(|c| [c, '\0']).collect();
    error(&utf16, 1, "UTF-16");
}

// ---------------------------------------------------------------------------------------
// Robustness: no input panics, and every span is valid.

const SAMPLE: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- header -->\n<sf:ConnectedApp xmlns:sf=\"http://soap.sforce.com/2006/04/metadata\" xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"i\">\n    <sf:label>Café &amp; «ETL»</sf:label>\n    <oauthConfig>\n        <scopes>Api</scopes>\n        <scopes><![CDATA[RefreshToken]]></scopes>\n        <x xsi:nil=\"true\"/>\n    </oauthConfig>\n    <!-- note -->\n    <oauthPolicy><refreshTokenPolicy>&#x7A;ero</refreshTokenPolicy></oauthPolicy>\n</sf:ConnectedApp>\n";

fn check_result(src: &str) {
    match parse(src) {
        Ok(doc) => {
            check_tree(src, &doc.root);
            for c in &doc.comments {
                check_span(src, c.span);
            }
        }
        Err(e) => check_span(src, e.span),
    }
}

#[test]
fn sample_parses() {
    let doc = ok(SAMPLE);
    let policy = doc.root.child("oauthPolicy").unwrap().child("refreshTokenPolicy").unwrap();
    assert_eq!(text(policy).0, "zero");
    assert_eq!(slice(SAMPLE, text(policy).1), "&#x7A;ero");
    assert_eq!(text(doc.root.child("label").unwrap()).0, "Café & «ETL»");
}

#[test]
fn every_truncation_is_handled() {
    for (i, _) in SAMPLE.char_indices() {
        check_result(&SAMPLE[..i]);
    }
}

#[test]
fn every_single_character_edit_is_handled() {
    let replacements = ['<', '>', '&', ';', '"', '\'', '/', '!', '?', '-', '[', ']', ':', '=', ' ', '\r', 'é', '\0'];
    for (i, c) in SAMPLE.char_indices() {
        let (before, after) = (&SAMPLE[..i], &SAMPLE[i + c.len_utf8()..]);
        check_result(&format!("{before}{after}"));
        for r in replacements {
            check_result(&format!("{before}{r}{after}"));
            check_result(&format!("{before}{r}{c}{after}"));
        }
    }
}

#[test]
fn indentation_is_not_kept_but_blanks_between_references_are() {
    let doc = parse("<a>\n    <b>x</b>\n    <c>&amp; &amp;</c>\n</a>").unwrap();
    assert!(doc.root.nodes.iter().all(|n| matches!(n, Node::Element(_))), "{:?}", doc.root.nodes);
    assert_eq!(doc.root.child("c").unwrap().text().unwrap().value, "& &");
    assert_eq!(doc.root.child("b").unwrap().text().unwrap().value, "x");
}

#[test]
fn the_bytewise_character_check_agrees_with_the_definition() {
    let samples = [
        "",
        "plain",
        "tab\there",
        "\u{1}",
        "a\u{1f}b",
        "\u{7f}\u{80}\u{9f}",
        "\u{d7ff}\u{e000}",
        "\u{fffd}x",
        "ok\u{fffe}",
        "\u{ffff}",
        "\u{feff}\u{fefe}\u{f000}",
        "\u{10000}\u{10ffff}",
        "é€😀\u{0}",
        "\r\n\u{b}",
    ];
    for s in samples {
        let slow = s.char_indices().find(|&(_, c)| !is_xml_char(c));
        assert_eq!(first_non_xml_char(s), slow, "{s:?}");
    }
    // Across the boundaries of the blocks it scans.
    for pad in 0..140 {
        for bad in ['\u{1}', '\u{fffe}', '\u{ffff}'] {
            for filler in ["a", "é", "\u{fefe}"] {
                let s = format!("{}{bad}z\u{fffd}", filler.repeat(pad));
                assert_eq!(first_non_xml_char(&s), Some((filler.len() * pad, bad)), "{pad} {filler:?} {bad:?}");
            }
        }
        let fine = format!("{}\u{fefe}\u{fffd}\t", "\u{f000}".repeat(pad));
        assert_eq!(first_non_xml_char(&fine), None);
    }
    // Every character from U+0000 to U+1FFFF, each alone and after a multi-byte one.
    for code in 0..0x2_0000u32 {
        let Some(c) = char::from_u32(code) else { continue };
        for s in [c.to_string(), format!("\u{ef}{c}")] {
            let slow = s.char_indices().find(|&(_, c)| !is_xml_char(c));
            assert_eq!(first_non_xml_char(&s), slow, "U+{code:04X}");
        }
    }
}

#[test]
fn the_ascii_name_check_agrees_with_the_definition() {
    let slow = |name: &str| {
        let mut chars = name.chars();
        chars.next().is_some_and(is_name_start_char)
            && chars.all(is_name_char)
            && name.matches(':').count() <= 1
            && !name.starts_with(':')
            && !name.ends_with(':')
    };
    for a in 0u8..128 {
        for b in [b'a', b'1', b':', b'-', b'.', b'_', b' ', a] {
            let name = String::from_utf8(vec![a, b, b'x']).unwrap();
            assert_eq!(is_qname(&name), slow(&name), "{name:?}");
            let name = String::from_utf8(vec![b'x', a, b]).unwrap();
            assert_eq!(is_qname(&name), slow(&name), "{name:?}");
        }
    }
    for name in ["sf:ConnectedApp", "a:b:c", ":a", "a:", "é:x", "x·y", "-x", "x-y.z_1"] {
        assert_eq!(is_qname(name), slow(name), "{name:?}");
    }
}

#[test]
fn children_not_kept_are_checked_but_left_empty() {
    let src = "<Profile>\n  <!-- about the next -->\n  <fieldPermissions><field>A.b</field><x a=\"1\"/></fieldPermissions>\n  <loginHours><mondayStart>60</mondayStart></loginHours>\n</Profile>";
    let doc = parse_keeping(src, |name| name == "loginHours").unwrap();
    let children: Vec<&Element> = doc.root.elements().collect();
    assert_eq!(children[0].name, "fieldPermissions");
    assert!(children[0].nodes.is_empty());
    // Comments inside what is not kept are kept, flattened into the root's child.
    let nested = parse_keeping("<P><a><b><!-- one --></b><!-- two --><c/></a></P>", |_| false).unwrap();
    let a = nested.root.child("a").unwrap();
    let comments: Vec<&str> = a.comments().map(|c| c.value.as_str()).collect();
    assert_eq!((comments, a.elements().count()), (vec!["one", "two"], 0));
    assert!(slice(src, children[0].span).ends_with("</fieldPermissions>"));
    assert_eq!(text(children[1].child("mondayStart").unwrap()).0, "60");
    // The comment still comes right before the element it is about.
    assert!(matches!(&doc.root.nodes[0], Node::Comment(c) if c.value == "about the next"));
    assert!(matches!(&doc.root.nodes[1], Node::Element(e) if e.name == "fieldPermissions"));

    // Errors inside what is not kept are the errors `parse` gives.
    for bad in [
        "<P><a><b>&bogus;</b></a></P>",
        "<P><a><b></c></a></P>",
        "<P><a><b x='1' x='2'/></a></P>",
        "<P><a><b>",
        "<P><a><b><!-- a -- b --></b></a></P>",
    ] {
        let whole = parse(bad).unwrap_err();
        assert_eq!(parse_keeping(bad, |_| false).unwrap_err(), whole, "{bad}");
    }
    let e = parse_keeping("<P><a><b><c>", |_| false).unwrap_err();
    assert_eq!(e.message, "unexpected end of file: <c> is never closed, nor are <b>, <a>, <P> around it");
    // Depth counts what is not kept.
    let deep = format!("<P>{}{}</P>", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    assert_eq!(parse_keeping(&deep, |_| false).unwrap_err(), parse(&deep).unwrap_err());
}

// ---------------------------------------------------------------------------------------
// Namespaces (issue 12, items 12 and 19).

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[test]
fn only_xsi_nil_in_the_schema_instance_namespace_is_nil() {
    let src = format!(
        "<a xmlns=\"{NS}\" xmlns:xsi=\"{XSI}\" xmlns:foo=\"urn:foo\" xmlns:i=\"{XSI}\">\
         <b nil=\"true\">1</b><c foo:nil=\"true\">2</c><d xsi:nil=\"true\"/><e i:nil=\"true\"/>\
         <f><g xmlns:xsi=\"urn:other\" xsi:nil=\"true\">3</g></f></a>"
    );
    let doc = ok(&src);
    let names: Vec<_> = doc.root.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["b", "c", "f"], "only `d` and `e` are nil");
    assert!(doc.root.child("f").unwrap().child("g").is_some(), "`xsi` rebound to another namespace");
    // An undeclared `xsi` prefix is no namespace at all.
    let doc = ok("<a><b xsi:nil=\"true\">1</b></a>");
    assert!(doc.root.child("b").is_some());
}

#[test]
fn elements_outside_the_root_namespace_are_not_metadata_elements() {
    let src = format!(
        "<ConnectedApp xmlns=\"{NS}\" xmlns:x=\"urn:evil\" xmlns:sf=\"{NS}\">\
         <x:oauthPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy></x:oauthPolicy>\
         <oauthPolicy xmlns=\"\"><refreshTokenPolicy>infinite</refreshTokenPolicy></oauthPolicy>\
         <y:oauthPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy></y:oauthPolicy>\
         <sf:oauthPolicy><sf:refreshTokenPolicy>zero</sf:refreshTokenPolicy></sf:oauthPolicy>\
         <oauthConfig><scopes>Api</scopes><x:scopes>Full</x:scopes></oauthConfig></ConnectedApp>"
    );
    let doc = ok(&src);
    let policies: Vec<_> = doc.root.children("oauthPolicy").collect();
    assert_eq!(policies.len(), 1, "only the one in the metadata namespace");
    assert_eq!(text(policies[0].child("refreshTokenPolicy").unwrap()).0, "zero");
    let scopes: Vec<_> = doc.root.child("oauthConfig").unwrap().children("scopes").map(|s| text(s).0).collect();
    assert_eq!(scopes, ["Api"]);
    // A document without namespaces reads as before.
    let doc = ok("<a><b>1</b></a>");
    assert!(doc.root.child("b").is_some());
}

// ---------------------------------------------------------------------------------------
// Bounded trees (issue 12, item 9).

#[test]
fn a_tree_of_more_than_max_nodes_is_refused_where_it_gets_too_large() {
    // The root and MAX_NODES - 1 children: the most a tree may hold.
    let fits = format!("<P>{}</P>", "<x/>".repeat(MAX_NODES - 1));
    assert_eq!(parse(&fits).unwrap().root.nodes.len(), MAX_NODES - 1);
    let over = format!("<P>{}</P>", "<x/>".repeat(MAX_NODES));
    let e = parse(&over).unwrap_err();
    assert!(e.message.starts_with(&format!("more than {MAX_NODES} elements")), "{e:?}");
    // At the last `<x/>`, the one too many.
    assert_eq!(e.span.start, over.len() - "<x/></P>".len());
    // Values and comments count too.
    let values = format!("<P><a>{}</a></P>", "&amp;".repeat(MAX_NODES));
    assert!(parse(&values).unwrap_err().message.starts_with("more than"));
    let comments = format!("<P>{}</P>", "<!---->".repeat(MAX_NODES));
    assert!(parse(&comments).unwrap_err().message.starts_with("more than"));
}

#[test]
fn children_not_kept_are_not_counted_nor_kept_unless_a_comment_is_about_them() {
    // A profile is mostly permissions no rule reads: any number of them fits.
    let src = format!("<Profile>{}<loginHours/></Profile>", "<fieldPermissions/>".repeat(MAX_NODES + 10));
    let doc = parse_keeping(&src, |name| name == "loginHours").unwrap();
    let names: Vec<&str> = doc.root.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["loginHours"]);
    // A comment before a child not kept stays about that child, not the next kept one.
    let src = "<P><!-- forcelint: ignore[x] --><a/><a/><!-- two --><b/>text<a><!-- in --></a><b/></P>";
    let doc = parse_keeping(src, |name| name == "b").unwrap();
    check_kept(src, &parse(src).unwrap());
    let kept: Vec<(&str, usize)> = doc.root.elements().map(|e| (e.name.as_str(), e.span.start)).collect();
    assert_eq!(kept, [("a", 32), ("b", 52), ("a", 60), ("b", 78)]);
}

#[test]
fn thousands_of_namespace_declarations_resolve_by_scope() {
    // Looked up through a map: declarations are many, and every element resolves its own.
    let many: String = (0..2_000).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
    let src = format!(
        "<P xmlns=\"urn:m\"{many}><a xmlns:p7=\"urn:m\"><p7:in/></a><p7:out/><p1999:last/><a xmlns=\"\"><b/></a><c/></P>"
    );
    let doc = parse(&src).unwrap();
    let foreign = |e: &Element| e.foreign;
    let a = &doc.root.nodes;
    let elements: Vec<&Element> = a
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
        .collect();
    let inner = |e: &Element| match &e.nodes[0] {
        Node::Element(c) => c.foreign,
        _ => panic!(),
    };
    // p7 is the metadata namespace inside the first <a> only; p1999 is urn:1999; xmlns=""
    // puts <b> in no namespace until its <a> ends.
    assert!(!inner(elements[0]));
    assert!(foreign(elements[1]) && foreign(elements[2]));
    assert!(foreign(elements[3]) && inner(elements[3]));
    assert!(!foreign(elements[4]));
}
