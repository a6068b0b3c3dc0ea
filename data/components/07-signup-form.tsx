// request: A sign-up form with name, email and password fields, inline validation messages, and a success screen.
import React, { useState } from 'react';

interface Errors { name?: string; email?: string; password?: string }

function validate(name: string, email: string, password: string): Errors {
  const errors: Errors = {};
  if (name.trim().length < 2) errors.name = 'Name must be at least 2 characters.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter a valid email address.';
  if (password.length < 8) errors.password = 'Password must be at least 8 characters.';
  return errors;
}

export default function App() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState(false);

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    const found = validate(name, email, password);
    setErrors(found);
    if (Object.keys(found).length === 0) setDone(true);
  };

  if (done) {
    return (
      <div className="flex min-h-screen items-center justify-center bg-green-50">
        <div className="rounded-xl bg-white p-8 text-center shadow">
          <h1 className="text-2xl font-bold text-green-700">Welcome, {name}!</h1>
          <p className="mt-2 text-gray-600">We sent a confirmation to {email}.</p>
          <button onClick={() => setDone(false)} className="mt-6 rounded bg-green-600 px-4 py-2 text-white">Back</button>
        </div>
      </div>
    );
  }

  return (
    <div className="flex min-h-screen items-center justify-center bg-gray-100">
      <form onSubmit={onSubmit} noValidate className="w-full max-w-sm space-y-4 rounded-xl bg-white p-8 shadow">
        <h1 className="text-2xl font-bold">Create your account</h1>
        <div>
          <input aria-label="Name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} className="w-full rounded border px-3 py-2" />
          {errors.name && <p className="mt-1 text-sm text-red-600">{errors.name}</p>}
        </div>
        <div>
          <input aria-label="Email" placeholder="Email" value={email} onChange={(e) => setEmail(e.target.value)} className="w-full rounded border px-3 py-2" />
          {errors.email && <p className="mt-1 text-sm text-red-600">{errors.email}</p>}
        </div>
        <div>
          <input aria-label="Password" type="password" placeholder="Password" value={password} onChange={(e) => setPassword(e.target.value)} className="w-full rounded border px-3 py-2" />
          {errors.password && <p className="mt-1 text-sm text-red-600">{errors.password}</p>}
        </div>
        <button type="submit" className="w-full rounded bg-blue-600 py-2 font-semibold text-white">Sign up</button>
      </form>
    </div>
  );
}
