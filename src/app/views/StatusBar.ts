/**
 * What PWA users expect to be told: offline or online, a new version of the worker ready (with a
 * reload button), and, after a hard reload, that the worker does not control this page.
 */
export class StatusBar {
  constructor(
    connectivity: HTMLElement,
    private readonly update: HTMLElement,
    private readonly control: HTMLElement,
  ) {
    const show = () => {
      const online = navigator.onLine;
      connectivity.textContent = online ? 'Online' : 'Offline: playing what is stored';
      connectivity.dataset.state = online ? 'online' : 'offline';
    };
    addEventListener('online', show);
    addEventListener('offline', show);
    show();
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="reload"]'))
      button.addEventListener('click', () => location.reload());
  }

  /** Watch `registration` for a new worker version and say when one is ready. */
  watchUpdates(registration: ServiceWorkerRegistration): void {
    const ready = () => {
      this.update.hidden = false;
    };
    if (registration.waiting && navigator.serviceWorker.controller) ready();
    registration.addEventListener('updatefound', () => {
      const next = registration.installing;
      next?.addEventListener('statechange', () => {
        // A worker installed while another controls the page is a new version of the app.
        if (next.state === 'installed' && navigator.serviceWorker.controller) ready();
      });
    });
  }

  /** The worker does not control the page: say why and how to fix it. */
  uncontrolled(reason: string): void {
    this.control.hidden = false;
    const why = this.control.querySelector('[data-reason]');
    if (why) why.textContent = reason;
  }
}
