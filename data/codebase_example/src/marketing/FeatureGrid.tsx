import { Zap, Shield, Clock, Users } from 'react-feather';

const FEATURES = [
  { icon: Zap, title: 'Fast by default', text: 'Pages load in under a second on a mid-range phone.' },
  { icon: Shield, title: 'Secure', text: 'Single sign-on, audit logs and encryption at rest.' },
  { icon: Clock, title: 'Always on', text: '99.95% uptime over the last twelve months.' },
  { icon: Users, title: 'Built for teams', text: 'Roles, shared workspaces and comments everywhere.' },
];

export default function FeatureGrid() {
  return (
    <section className="mx-auto max-w-5xl px-6 py-16">
      <h2 className="text-center text-3xl font-bold text-gray-900">Why teams switch to Acme</h2>
      <div className="mt-10 grid gap-8 sm:grid-cols-2 lg:grid-cols-4">
        {FEATURES.map(({ icon: Icon, title, text }) => (
          <div key={title} className="rounded-xl border p-6 text-center">
            <Icon className="mx-auto text-indigo-600" size={28} aria-hidden="true" />
            <h3 className="mt-4 font-semibold">{title}</h3>
            <p className="mt-2 text-sm text-gray-600">{text}</p>
          </div>
        ))}
      </div>
    </section>
  );
}
