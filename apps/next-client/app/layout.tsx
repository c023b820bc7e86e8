import type { ReactNode } from 'react';

export const metadata = { title: 'next-client · @auth demo' };

const style = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1c2430; }
  header { background: #1c2430; color: #fff; padding: 12px 24px; font-weight: 600; }
  main { max-width: 760px; margin: 24px auto; padding: 0 24px; }
  section { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
  pre { background: #f0f2f5; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 13px; }
  .button { display: inline-block; background: #2f6fed; color: #fff; border: 0; border-radius: 6px; padding: 10px 16px;
            font-size: 15px; text-decoration: none; cursor: pointer; }
  .muted { color: #5b6675; font-size: 14px; }
`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <style>{style}</style>
        <header>next-client — signs in with the demo provider (authorization code + PKCE, form_post)</header>
        <main>{children}</main>
      </body>
    </html>
  );
}
