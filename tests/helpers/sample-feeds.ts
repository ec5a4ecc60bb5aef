/** Builders for small feeds in each format, so integration tests can say what a publisher serves. */
export interface SampleItem {
  title: string;
  link: string;
  summary: string;
  published: Date;
  guid?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss2(title: string, items: readonly SampleItem[], encoding = 'utf-8'): string {
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${escapeXml(title)}</title><link>https://publisher.example/</link>
${items
  .map(
    (item) => `<item><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link>
<description>${escapeXml(item.summary)}</description><pubDate>${item.published.toUTCString()}</pubDate>
${item.guid ? `<guid isPermaLink="false">${escapeXml(item.guid)}</guid>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export function rss1(title: string, items: readonly SampleItem[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>${escapeXml(title)}</title><link>https://rdf.example/</link><description>d</description>
<items><rdf:Seq>${items.map((item) => `<rdf:li rdf:resource="${escapeXml(item.link)}"/>`).join('')}</rdf:Seq></items></channel>
${items
  .map(
    (
      item,
    ) => `<item rdf:about="${escapeXml(item.link)}"><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link>
<description>${escapeXml(item.summary)}</description><dc:date>${item.published.toISOString()}</dc:date></item>`,
  )
  .join('\n')}
</rdf:RDF>`;
}

export function atom(title: string, items: readonly SampleItem[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title><id>urn:atom-sample</id>
<updated>${new Date().toISOString()}</updated><link href="https://atom.example/"/>
${items
  .map(
    (item) => `<entry><title>${escapeXml(item.title)}</title><link href="${escapeXml(item.link)}"/>
<id>${escapeXml(item.guid ?? item.link)}</id><updated>${item.published.toISOString()}</updated>
<summary type="html">${escapeXml(item.summary)}</summary></entry>`,
  )
  .join('\n')}
</feed>`;
}

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
