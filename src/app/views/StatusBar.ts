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
    control
      .querySelector('[data-action="reload"]')
      ?.addEventListener('click', () => location.reload());
    // A waiting worker takes over when asked; the page reloads once it controls it.
    update.querySelector('[data-action="update"]')?.addEventListener('click', () => {
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
        once: true,
      });
      this.waiting?.postMessage({ type: 'SKIP_WAITING' });
    });
  }

  private waiting: ServiceWorker | null = null;

  /** Watch `registration` for a new worker version and say when one is ready. */
  watchUpdates(registration: ServiceWorkerRegistration): void {
    const ready = (worker: ServiceWorker) => {
      this.waiting = worker;
      this.update.hidden = false;
    };
    const watch = (next: ServiceWorker | null) =>
      next?.addEventListener('statechange', () => {
        // A worker installed while another controls the page is a new version, waiting.
        if (next.state === 'installed' && navigator.serviceWorker.controller) ready(next);
      });
    if (registration.waiting && navigator.serviceWorker.controller) ready(registration.waiting);
    watch(registration.installing);
    registration.addEventListener('updatefound', () => watch(registration.installing));
  }

  /** The worker does not control the page: say why and how to fix it. */
  uncontrolled(reason: string): void {
    this.control.hidden = false;
    const why = this.control.querySelector('[data-reason]');
    if (why) why.textContent = reason;
  }
}
