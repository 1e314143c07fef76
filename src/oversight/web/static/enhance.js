// Progressive enhancement only: every page works without this file.
// 1. The NHS.UK frontend components (from the vendored, versioned build).
// 2. On the search page, when the list holds every organisation (always so in a published
//    static site), filter it as the visitor types, and apply ?q= from the address.
// 3. On a "being computed" page (HTTP 202), ask for the same address every few seconds and
//    show the page once it answers 200 (without script, a <noscript> meta refresh does this).
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

const pending = document.getElementById('pending')
if (pending && pending.dataset.pendingSeconds) {
  const every = Math.max(1, Number(pending.dataset.pendingSeconds)) * 1000
  const check = async () => {
    try {
      const r = await fetch(window.location.href, { method: 'HEAD', cache: 'no-store' })
      if (r.status === 200) {
        pending.textContent = 'Computed: showing it now.'
        window.location.reload()
        return
      }
    } catch (e) {
      // the server is busy or restarting: ask again later
    }
    window.setTimeout(check, every)
  }
  window.setTimeout(check, every)
}
