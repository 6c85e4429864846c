import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

const SECTIONS = [
  { path: 'profile', label: 'Profile' },
  { path: 'password', label: 'Password' },
  { path: 'sessions', label: 'Sessions' },
  { path: 'tokens', label: 'API tokens' },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'data', label: 'Export and import' },
  { path: 'delete', label: 'Delete account' },
] as const;

@Component({
  selector: 'app-settings-layout',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="mb-4 text-2xl font-semibold">Settings</h1>
    <div class="flex flex-col gap-6 md:flex-row">
      <nav aria-label="Settings" class="md:w-48 md:shrink-0">
        <ul class="flex flex-wrap gap-x-4 gap-y-2 md:flex-col">
          @for (section of sections; track section.path) {
            <li>
              <a [routerLink]="section.path" routerLinkActive="nav-active" ariaCurrentWhenActive="page" class="nav-link">{{
                section.label
              }}</a>
            </li>
          }
        </ul>
      </nav>
      <div class="min-w-0 flex-1">
        <router-outlet />
      </div>
    </div>
  `,
})
export class SettingsLayout {
  protected readonly sections = SECTIONS;
}
