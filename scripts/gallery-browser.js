/* global AdaptiveCards, document, window */
// Runs inside the gallery page (test/artifacts/cards/index.html), after the Adaptive Cards SDK: renders every sample
// in a light and a dark Teams-like host, and leaves what the SDK said about each in window.galleryResults.
// Plain JavaScript, read as text and inlined, so the page needs no build step and no network.

/** Teams' colours for one theme, in the SDK's host config shape (text colours on every container style). */
function hostConfig(theme) {
  const dark = theme === 'dark';
  const colour = (normal, subtle) => ({ default: normal, subtle });
  const foregroundColors = {
    default: colour(dark ? '#ffffff' : '#242424', dark ? '#adadad' : '#616161'),
    dark: colour('#242424', '#616161'),
    light: colour('#ffffff', '#d6d6d6'),
    accent: colour(dark ? '#7f85f5' : '#5b5fc7', dark ? '#aaaaf5' : '#7579eb'),
    good: colour(dark ? '#92c353' : '#237b4b', dark ? '#a7d17a' : '#498a5f'),
    warning: colour(dark ? '#f8d22a' : '#835b00', dark ? '#fbe17a' : '#a16d00'),
    attention: colour(dark ? '#e37d80' : '#c4314b', dark ? '#eeacb2' : '#d3677a'),
  };
  const style = (backgroundColor) => ({ backgroundColor, foregroundColors });
  const font = (fontFamily) => ({ fontFamily, fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 300, default: 400, bolder: 600 } });
  return {
    supportsInteractivity: true,
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: dark ? '#3d3d3d' : '#e0e0e0' },
    fontTypes: { default: font("'Segoe UI', 'Liberation Sans', Arial, sans-serif"), monospace: font("Consolas, 'Liberation Mono', monospace") },
    containerStyles: {
      default: style(dark ? '#292929' : '#ffffff'),
      emphasis: style(dark ? '#1f1f1f' : '#f5f5f5'),
      accent: style(dark ? '#2f2f4a' : '#e8ebfa'),
      good: style(dark ? '#0d2e0d' : '#e7f2da'),
      warning: style(dark ? '#463100' : '#fbf6d9'),
      attention: style(dark ? '#3e1f25' : '#fcf4f6'),
    },
    actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
    adaptiveCard: { allowCustomStyle: true },
    factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 12 },
  };
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * The Markdown Teams renders in TextBlocks and facts (bold, italic, links, lists, paragraphs, backslash escapes),
 * enough to read the cards as Teams shows them; the SDK does no Markdown itself.
 */
function markdown(source) {
  const kept = [];
  const inline = (s) =>
    escapeHtml(s)
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])[*_](?=\S)(.+?)[*_](?=$|[\s).,;:])/g, '$1<em>$2</em>');
  const block = (lines) => {
    if (lines.every((l) => /^[-*+] /.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`;
    if (lines.every((l) => /^\d+\. /.test(l))) return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\d+\. /, ''))}</li>`).join('')}</ol>`;
    return `<p>${lines.map(inline).join('<br>')}</p>`;
  };
  const text = source.replace(/\\([!-/:-@[-`{-~])/g, (_, c) => `\uE000${kept.push(c) - 1}\uE000`);
  const html = text.split(/\n{2,}/).map((p) => block(p.split('\n'))).join('');
  return html.replace(/\uE000(\d+)\uE000/g, (_, i) => escapeHtml(kept[Number(i)]));
}

/** Parses and renders one card; the SDK's parse and validation messages come back with it. */
function renderCard(json, theme) {
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(hostConfig(theme));
  card.parse(json, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) events.push(e.message);
  let element = null;
  try {
    element = card.render();
  } catch (err) {
    events.push(`render failed: ${err.message}`);
  }
  return { element, events };
}

/** The SDK's messages under a card: those the sample accepts (Teams features the SDK does not know) in grey. */
function listEvents(list, events, accepted) {
  for (const message of events) {
    const item = document.createElement('li');
    const ok = accepted.some((re) => new RegExp(re).test(message));
    item.className = ok ? 'accepted' : 'problem';
    item.textContent = `${ok ? 'accepted (Teams knows it, the SDK does not)' : 'PROBLEM'}: ${message}`;
    list.appendChild(item);
  }
}

function renderAll() {
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };
  const { samples, themes } = window.GALLERY;
  const results = [];
  const list = document.getElementById('cards');
  samples.forEach((sample, index) => {
    const row = document.createElement('section');
    row.className = 'sample';
    row.innerHTML = `<h2>${index + 1}. <code>${escapeHtml(sample.builder)}</code>: ${escapeHtml(sample.name)}</h2><div class="themes"></div><ul class="events"></ul>`;
    list.appendChild(row);
    for (const theme of themes) {
      // A form of its own: the SDK names radio buttons by input id, and one group would span every copy of a card.
      const frame = document.createElement('form');
      frame.className = `frame ${theme}`;
      frame.dataset.shot = `${theme}-${index}`;
      row.querySelector('.themes').appendChild(frame);
      const { element, events } = renderCard(sample.card, theme);
      if (element) frame.appendChild(element);
      // Both themes parse the same JSON, so the messages are listed once.
      if (theme === themes[0]) listEvents(row.querySelector('.events'), events, sample.accepted);
      results.push({ index, theme, events, rendered: element !== null });
    }
  });
  window.galleryResults = results;
}

renderAll();
