// Progressive enhancement only: every page works without this file.
// 1. The NHS.UK frontend components (from the vendored, versioned build).
// 2. On the search page, when the list holds every organisation (always so in a published
//    static site), filter it as the visitor types, and apply ?q= from the address.
import { initAll } from './nhsuk/nhsuk-frontend.min.js'

initAll()

const list = document.getElementById('results')
const input = document.getElementById('q')
const count = document.getElementById('results-count')
if (list && input && count && list.hasAttribute('data-complete')) {
  const items = Array.from(list.querySelectorAll('li[data-search]'))
  const filter = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean)
    let shown = 0
    for (const li of items) {
      const match = words.every((w) => li.dataset.search.includes(w))
      li.hidden = !match
      if (match) shown += 1
    }
    count.textContent = words.length
      ? `${shown} organisation${shown === 1 ? '' : 's'} match “${input.value.trim()}”.`
      : `${shown} organisations.`
  }
  const q = new URLSearchParams(window.location.search).get('q')
  if (q) input.value = q
  input.addEventListener('input', filter)
  filter()
}
