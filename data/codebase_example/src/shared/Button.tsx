import clsx from 'clsx';

export function Button({ primary, children, ...rest }: React.ButtonHTMLAttributes<HTMLButtonElement> & { primary?: boolean }) {
  return (
    <button {...rest} className={clsx('rounded px-4 py-2', primary ? 'bg-indigo-600 text-white' : 'border bg-white')}>
      {children}
    </button>
  );
}
