// Text into XML 1.0 (the JUnit reporter) and HTML (the HTML reporter), escaped so that nothing a model or a
// prompt says can end an element or an attribute. XML 1.0 cannot hold most control characters even as
// references, nor a lone surrogate: those are written visibly as `\u{1B}`, never dropped.

const markup: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Characters XML 1.0 does not allow, and UTF-16 halves without their other half.
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Element content or an attribute value (quoted with `"`). */
export function escapeXml(text: string): string {
  return text.replace(notXml, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`).replace(/[&<>"']/g, (c) => markup[c] ?? c);
}

/** An attribute value that keeps its line breaks (an attribute's raw newline is read back as a space). */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
