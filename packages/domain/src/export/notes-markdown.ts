import type { ExportHeading } from './notes-heading.ts';
import type { NotesBlock, TextRun } from './notes-tree.ts';

/**
 * Notes as CommonMark with GitHub's tables and task lists (what GitLab, GitHub, Nextcloud and
 * most editors show). Text is escaped so that it stays text; a table cell holds its blocks on one
 * line, as GFM tables allow nothing else.
 */

const special = /[\\`*_[\]<>#|~]/g;

function escapeText(text: string): string {
  return text.replace(special, (character) => `\\${character}`).replace(/^(\d+)\. /, '$1\\. ');
}

function inline(runs: TextRun[]): string {
  return runs
    .map((run) => {
      if (run.text === '\n') return '\\\n';
      if (run.code) return `\`${run.text.replaceAll('`', "'")}\``;
      // Emphasis markers must touch the words: spaces at the edges go outside them.
      const [, lead, core, trail] = /^(\s*)(.*?)(\s*)$/s.exec(run.text)!;
      let text = escapeText(core!);
      if (!text) return run.text;
      if (run.strike) text = `~~${text}~~`;
      if (run.italic) text = `*${text}*`;
      if (run.bold) text = `**${text}**`;
      if (run.href) text = `[${text}](<${run.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
      return `${lead}${text}${trail}`;
    })
    .join('');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 || !line ? line : `${' '.repeat(prefix.length)}${line}`))
    .join('\n');
}

function block(node: NotesBlock): string {
  switch (node.type) {
    case 'heading':
      return `${'#'.repeat(node.level)} ${inline(node.runs)}`;
    case 'paragraph':
      return inline(node.runs);
    case 'code':
      return `\`\`\`\n${node.text}\n\`\`\``;
    case 'rule':
      return '---';
    case 'quote':
      return blocks(node.blocks)
        .split('\n')
        .map((line) => `> ${line}`.trimEnd())
        .join('\n');
    case 'list':
      return node.items
        .map((item, index) => {
          const marker =
            node.kind === 'ordered'
              ? `${node.start + index}.`
              : node.kind === 'task'
                ? `- [${item.checked ? 'x' : ' '}]`
                : '-';
          const prefix = node.kind === 'task' ? '  ' : `${marker} `;
          return `${marker} ${indent(tight(item.blocks), prefix)}`;
        })
        .join('\n');
    case 'table': {
      const rows = node.rows.map((row) => `| ${row.map((cell) => cellText(cell.blocks)).join(' | ')} |`);
      const width = Math.max(...node.rows.map((row) => row.length), 1);
      const header = node.rows[0]?.every((cell) => cell.header) ? rows.shift()! : `|${' |'.repeat(width)}`;
      return [header, `|${' --- |'.repeat(width)}`, ...rows].join('\n');
    }
  }
}

/** Blocks of a list item: a sublist follows its paragraph without an empty line. */
function tight(items: NotesBlock[]): string {
  return items.map(block).join('\n');
}

function cellText(items: NotesBlock[]): string {
  return items.map(block).join('<br>').replaceAll('\n', '<br>').replaceAll('|', '\\|');
}

function blocks(items: NotesBlock[]): string {
  return items.map(block).join('\n\n');
}

/** A notes document as Markdown, its heading (room, version or date) as a front paragraph. */
export function notesToMarkdown(items: NotesBlock[], heading: ExportHeading): string {
  const front = [`# ${escapeText(heading.title)}`, `*${escapeText(heading.lines.join(' · '))}*`];
  return `${[...front, blocks(items)].join('\n\n')}\n`;
}
