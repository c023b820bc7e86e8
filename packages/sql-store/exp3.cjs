const Database = require('better-sqlite3');
const crypto = require('crypto');
const fs=require('fs');
const ddl=`create table tokens(hash text primary key, type text not null, family_id text not null, client_id text not null, user_id text, business_id text, scopes text not null, created_at bigint not null, expires_at bigint not null, revoked_at bigint, rotated_at bigint, successor text); create index tf on tokens(family_id); create index te on tokens(expires_at); create index ts on tokens(rotated_at) where successor is not null;`;
let ctr=0;
function run(name, K, mk, opts={}){
  const f='/tmp/exp/r.db'; for (const s of ['','-wal','-shm']) try{fs.unlinkSync(f+s)}catch{}
  const db=new Database(f); db.pragma('journal_mode=WAL'); db.pragma('synchronous=NORMAL'); db.pragma('wal_autocheckpoint=10000');
  db.exec(ddl);
  const cols='(hash,type,family_id,client_id,user_id,business_id,scopes,created_at,expires_at,revoked_at,rotated_at,successor)';
  const one='(?,?,?,?,?,?,?,?,?,?,?,?)';
  const ins=new Map(); const insN=n=>{ if(!ins.has(n)) ins.set(n,db.prepare('insert into tokens'+cols+' values '+Array(n).fill(one).join(','))); return ins.get(n); };
  const upd=db.prepare(`update tokens set rotated_at=?, successor=? where hash=? and type='refresh_token' and rotated_at is null and revoked_at is null and expires_at > ? returning *`);
  const sel=db.prepare('select * from tokens where hash=?');
  const begin=db.prepare('BEGIN'), commit=db.prepare('COMMIT');
  const now=Date.now();
  const row=(hash,type,fam)=>[hash,type,fam,'client_x','u_1','b_1','read',now,now+86400000,null,null,null];
  const famIds=Array.from({length:16},(_,i)=>'fam'+crypto.randomBytes(12).toString('hex'));
  const fams=famIds.map((fid)=>{const hh=mk(); insN(1).run(...row(hh,'refresh_token',fid)); return hh;});
  const succ='x'.repeat(350);
  let fi=0; const t={sel:0,upd:0,ins:0,commit:0,begin:0};
  const cu=()=>{const c=process.cpuUsage(); return c.user+c.system};
  const step=(meas)=>{
    let a=cu();
    begin.run(); let b=cu(); if(meas) t.begin+=b-a; a=b;
    const rows=[];
    for(let k=0;k<K;k++){ const i=(fi++)%16; 
      sel.get(fams[i]); b=cu(); if(meas) t.sel+=b-a; a=b;
      const r=upd.get(now,succ,fams[i],now); if(!r) throw new Error('lost'); b=cu(); if(meas) t.upd+=b-a; a=b;
      const x=mk(), y=mk(); fams[i]=y; rows.push(...row(x,'access_token',famIds[i]),...row(y,'refresh_token',famIds[i])); }
    a=cu(); insN(2*K).run(...rows); b=cu(); if(meas) t.ins+=b-a; a=b;
    commit.run(); b=cu(); if(meas) t.commit+=b-a;
  };
  for(let i=0;i<2000;i++) step(false);
  const N=40000; const t0=cu();
  for(let i=0;i<N/K;i++) step(true);
  const u=cu()-t0;
  console.log(name,'K='+K, (u/N).toFixed(1),'µs/rotation', Object.entries(t).map(([k,v])=>k+'='+(v/N).toFixed(1)).join(' '));
  db.close();
}
const rnd=()=>crypto.randomBytes(32).toString('base64url');
const ord=()=>Date.now().toString(36)+String(ctr++).padStart(6,'0')+crypto.randomBytes(28).toString('base64url');
for (const K of [1,8]) { run('random',K,rnd); run('ordered',K,ord); }
