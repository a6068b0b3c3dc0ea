// Notification settings: switches for email, push and SMS alerts, plus a quiet-hours option that disables the others.
import { useState } from 'react';
import clsx from 'clsx';

type Channel = 'email' | 'push' | 'sms';

const LABELS: Record<Channel, string> = {
  email: 'Email summaries',
  push: 'Push notifications',
  sms: 'Text messages',
};

function Switch({ on, disabled, onChange, label }: { on: boolean; disabled?: boolean; onChange: () => void; label: string }) {
  return (
    <button
      role="switch"
      aria-checked={on}
      aria-label={label}
      disabled={disabled}
      onClick={onChange}
      className={clsx(
        'relative h-6 w-11 rounded-full transition-colors',
        on ? 'bg-indigo-600' : 'bg-gray-300',
        disabled && 'cursor-not-allowed opacity-50',
      )}
    >
      <span className={clsx('absolute top-0.5 h-5 w-5 rounded-full bg-white transition-all', on ? 'left-5' : 'left-0.5')} />
    </button>
  );
}

export default function SettingsToggles() {
  const [channels, setChannels] = useState<Record<Channel, boolean>>({ email: true, push: false, sms: false });
  const [quiet, setQuiet] = useState(false);

  const toggle = (c: Channel) => setChannels({ ...channels, [c]: !channels[c] });

  return (
    <section className="mx-auto max-w-md space-y-4 p-8">
      <h1 className="text-xl font-semibold">Notifications</h1>
      {(Object.keys(LABELS) as Channel[]).map((c) => (
        <div key={c} className="flex items-center justify-between">
          <span className={clsx(quiet && 'text-gray-400')}>{LABELS[c]}</span>
          <Switch on={channels[c] && !quiet} disabled={quiet} onChange={() => toggle(c)} label={LABELS[c]} />
        </div>
      ))}
      <div className="flex items-center justify-between border-t pt-4">
        <span>Quiet hours (mute everything)</span>
        <Switch on={quiet} onChange={() => setQuiet(!quiet)} label="Quiet hours" />
      </div>
      <p className="text-sm text-gray-500">
        {quiet ? 'All alerts are muted.' : `${Object.values(channels).filter(Boolean).length} channel(s) on.`}
      </p>
    </section>
  );
}
