import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { useTestApp } from '../helpers/testApp.js';
import { launchChromium, listen } from '../helpers/browser.js';
const t = useTestApp('pglite');
it('debug', async () => {
  const q = await (await t.staff('POST', '/api/questionnaires', { title: 'マトリクス', templateIds: ['ucla3-national'], ownQuestions: [{type:'matrix',name:'mx',isRequired:true,columns:[{value:1,text:'ほとんどない'},{value:2,text:'時々ある'},{value:3,text:'よくある'},{value:4,text:'常にある（いつも感じている）'}],rows:[{value:'a',text:'人とのつきあいがないと感じる'},{value:'b',text:'自分は取り残されていると感じる'}]},{type:'radiogroup',name:'h',choices:['yes|いる','no|いない']},{type:'comment',name:'w',visibleIf:"{h} = 'no'"}] })).json();
  await t.staff('POST', `/api/questionnaires/${q.id}/publish`);
  const wave = await (await t.staff('POST', '/api/waves', { name: 'matrix', questionnaireId: q.id })).json();
  const browser = await launchChromium(); const server = await listen(t);
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ja-JP', isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e));
  await page.goto(String(wave.openLink).replace('http://localhost', server.url));
  await page.locator('html[data-renderer="surveyjs"]').waitFor({ timeout: 20000 });
  await page.screenshot({ path: '/tmp/pp/sj1.png', fullPage: true });
  for (const [title, label] of [['人とのつきあいがない', 'ほとんどない'], ['取り残されている', '時々ある'], ['孤立している', '常にある']]) {
    await page.locator('.sd-question', { hasText: title }).getByText(label, { exact: true }).click();
  }
  await page.locator('.sd-navigation__next-btn:visible').click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/pp/sj2.png', fullPage: true });
  console.log('width', await page.evaluate(() => document.documentElement.scrollWidth));
  writeFileSync('/tmp/pp/sj2.html', await page.locator('#survey').innerHTML());
  await browser.close(); await server.close();
}, 60000);
