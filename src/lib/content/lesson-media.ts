/**
 * Points a stored lesson's images at the files on the phone (object URLs) before the HTML is
 * shown, so the browser never asks the network for `media/…`. Images the phone lacks are dropped.
 */
export function withLocalMedia(html: string, mediaUrls: ReadonlyMap<string, string>): string {
	const template = document.createElement('template');
	template.innerHTML = html;
	for (const img of template.content.querySelectorAll('img')) {
		const url = mediaUrls.get(img.getAttribute('src') ?? '');
		if (url) img.setAttribute('src', url);
		else img.remove();
	}
	return template.innerHTML;
}
