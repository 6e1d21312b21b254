//! A small XML writer for EC2's answers.

pub(crate) struct Xml(String);

impl Xml {
    pub(crate) fn new() -> Xml {
        Xml(String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
    }

    /// A fragment, without the XML declaration.
    pub(crate) fn fragment() -> Xml {
        Xml(String::new())
    }

    pub(crate) fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }

    pub(crate) fn open_ns(&mut self, tag: &str, namespace: &str) {
        self.0.push_str(&format!("<{tag} xmlns=\"{namespace}\">"));
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    pub(crate) fn leaf(&mut self, tag: &str, text: &str) {
        self.open(tag);
        self.0.push_str(&crate::wire::xml_escape(text));
        self.close(tag);
    }

    pub(crate) fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    pub(crate) fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut out = Xml::fragment();
        out.leaf("a", "<b & 'c'>");
        assert_eq!(out.finish(), "<a>&lt;b &amp; &apos;c&apos;&gt;</a>");
    }
}
